namespace RfcnPerf.Coco.Masks;

/// <summary>Collects segmentations in file order while a file is read, then makes them flat <see cref="Segmentations"/>.</summary>
internal sealed class SegmentationBuilder
{
    private readonly List<SegmentationKind> kind = [];
    private readonly List<uint> height = [];
    private readonly List<uint> width = [];
    private readonly List<int> start = [];
    private readonly List<int> length = [];
    private readonly List<int> polygonStart = [0];
    private readonly List<double> coords = [];
    private readonly List<uint> counts = [];
    private int openPolygons = -1;

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
    public ReadOnlySpan<uint> CountsOf(int i) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(counts).Slice(start[i], length[i]);

    public (uint Height, uint Width) SizeOf(int i) => (height[i], width[i]);

    /// <summary>Drops the entries from <paramref name="count"/> on (a record that was read and then dropped).</summary>
    public void Truncate(int count)
    {
        while (kind.Count > count)
        {
            int i = kind.Count - 1;
            if (kind[i] == SegmentationKind.Rle)
            {
                counts.RemoveRange(start[i], counts.Count - start[i]);
            }
            else if (kind[i] == SegmentationKind.Polygons)
            {
                int first = start[i];
                coords.RemoveRange(polygonStart[first], coords.Count - polygonStart[first]);
                polygonStart.RemoveRange(first + 1, polygonStart.Count - first - 1);
            }

            kind.RemoveAt(i);
            height.RemoveAt(i);
            width.RemoveAt(i);
            start.RemoveAt(i);
            length.RemoveAt(i);
        }
    }

    public Segmentations Build() =>
        new([.. kind], [.. height], [.. width], [.. start], [.. length], [.. polygonStart], [.. coords], [.. counts]);

    private void Add(SegmentationKind k, uint h, uint w, int s, int n)
    {
        kind.Add(k);
        height.Add(h);
        width.Add(w);
        start.Add(s);
        length.Add(n);
    }
}
