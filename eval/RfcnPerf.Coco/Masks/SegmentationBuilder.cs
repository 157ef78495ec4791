namespace RfcnPerf.Coco.Masks;

/// <summary>Collects segmentations in file order while a file is read, then makes them flat <see cref="Segmentations"/>.</summary>
internal sealed class SegmentationBuilder
{
    private readonly GrowableArray<SegmentationKind> kind = new();
    private readonly GrowableArray<uint> height = new();
    private readonly GrowableArray<uint> width = new();
    private readonly GrowableArray<int> start = new();
    private readonly GrowableArray<int> length = new();
    private readonly GrowableArray<int> polygonStart = new();
    private readonly GrowableArray<double> coords = new();
    private readonly GrowableArray<uint> counts = new();
    private int openPolygons = -1;

    public SegmentationBuilder() => polygonStart.Add(0);

    public int Count => kind.Count;

    /// <summary>An annotation without a segmentation.</summary>
    public void AddNone()
    {
        Add(SegmentationKind.None, 0, 0, 0, 0);
    }

    /// <summary>A run-length mask of size <paramref name="h"/> x <paramref name="w"/>.</summary>
    public void AddRle(uint h, uint w, ReadOnlySpan<uint> maskCounts)
    {
        Add(SegmentationKind.Rle, h, w, counts.Count, maskCounts.Length);
        counts.AddRange(maskCounts);
    }

    /// <summary>Starts a polygon list; add its polygons with <see cref="AddPolygon"/>.</summary>
    public void BeginPolygons()
    {
        openPolygons = kind.Count;
        Add(SegmentationKind.Polygons, 0, 0, polygonStart.Count - 1, 0);
    }

    public void AddPolygon(ReadOnlySpan<double> xy)
    {
        coords.AddRange(xy);
        polygonStart.Add(coords.Count);
        length[openPolygons]++;
    }

    /// <summary>Sets the mask size of polygon entry <paramref name="i"/> (its image's height and width).</summary>
    public void SetSize(int i, uint h, uint w)
    {
        height[i] = h;
        width[i] = w;
    }

    public SegmentationKind KindOf(int i) => kind[i];

    /// <summary>The counts of mask entry <paramref name="i"/> (valid until the next addition).</summary>
    public ReadOnlySpan<uint> CountsOf(int i) => counts.AsSpan().Slice(start[i], length[i]);

    public (uint Height, uint Width) SizeOf(int i) => (height[i], width[i]);

    /// <summary>Drops the entries from <paramref name="count"/> on (a record that was read and then dropped).</summary>
    public void Truncate(int count)
    {
        while (kind.Count > count)
        {
            int i = kind.Count - 1;
            if (kind[i] == SegmentationKind.Rle)
            {
                counts.Truncate(start[i]);
            }
            else if (kind[i] == SegmentationKind.Polygons)
            {
                int first = start[i];
                coords.Truncate(polygonStart[first]);
                polygonStart.Truncate(first + 1);
            }

            kind.Truncate(i);
            height.Truncate(i);
            width.Truncate(i);
            start.Truncate(i);
            length.Truncate(i);
        }
    }

    /// <summary>The flat arrays (the coordinate and count columns are handed over, not copied; the builder is done).</summary>
    public Segmentations Build() =>
        new(kind.ToArray(), height.ToArray(), width.ToArray(), start.ToArray(), length.ToArray(), polygonStart.DetachBuffer(), coords.DetachBuffer(), counts.DetachBuffer());

    /// <summary>The entries of <paramref name="parts"/>, in order, as one set: offsets into the polygon, coordinate and
    /// count columns shifted by what the earlier parts hold.</summary>
    public static Segmentations Build(IReadOnlyList<SegmentationBuilder> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0].Build();
        }

        var start = GC.AllocateUninitializedArray<int>(parts.Sum(p => p.Count));
        var polygonStart = GC.AllocateUninitializedArray<int>(1 + parts.Sum(p => p.polygonStart.Count - 1));
        polygonStart[0] = 0;
        int entry = 0, polygon = 0, coordinate = 0, count = 0;
        foreach (var part in parts)
        {
            for (int i = 0; i < part.Count; i++)
            {
                start[entry++] = part.kind[i] switch
                {
                    SegmentationKind.Rle => part.start[i] + count,
                    SegmentationKind.Polygons => part.start[i] + polygon,
                    _ => part.start[i],
                };
            }

            var ends = part.polygonStart.AsSpan()[1..];
            for (int p = 0; p < ends.Length; p++)
            {
                polygonStart[++polygon] = ends[p] + coordinate;
            }

            coordinate += part.coords.Count;
            count += part.counts.Count;
        }

        return new(
            GrowableArray<SegmentationKind>.Concat(parts.Select(p => p.kind)),
            GrowableArray<uint>.Concat(parts.Select(p => p.height)),
            GrowableArray<uint>.Concat(parts.Select(p => p.width)),
            start,
            GrowableArray<int>.Concat(parts.Select(p => p.length)),
            polygonStart,
            GrowableArray<double>.Concat(parts.Select(p => p.coords)),
            GrowableArray<uint>.Concat(parts.Select(p => p.counts)));
    }

    private void Add(SegmentationKind k, uint h, uint w, int s, int n)
    {
        kind.Add(k);
        height.Add(h);
        width.Add(w);
        start.Add(s);
        length.Add(n);
    }
}
