namespace RfcnPerf.Coco.Masks;

/// <summary>
/// Collects segmentations in file order while a file is read, then makes them flat <see cref="Segmentations"/>.
/// The parts of a file read in parallel are joined by <see cref="Append"/>, which keeps each part's coordinates and
/// counts where that part wrote them (see <see cref="Segmentations"/>).
/// </summary>
internal sealed class SegmentationBuilder
{
    private readonly GrowableArray<SegmentationKind> kind = new();
    private readonly GrowableArray<uint> height = new();
    private readonly GrowableArray<uint> width = new();
    private readonly GrowableArray<int> start = new();
    private readonly GrowableArray<int> length = new();
    private readonly GrowableArray<int> storage = new();
    private readonly GrowableArray<int> polygonStart = new();
    private readonly GrowableArray<double> coords;
    private readonly GrowableArray<uint> counts;

    /// <summary>The builders appended to this one (storage s >= 1 is appended[s - 1]; storage 0 is this one's own).</summary>
    private readonly List<SegmentationBuilder> appended = [];
    private int openPolygons = -1;

    /// <param name="coordinates">Room to make for polygon coordinates at once (a guess).</param>
    /// <param name="maskCounts">Room to make for run lengths at once (a guess).</param>
    public SegmentationBuilder(long coordinates = 0, long maskCounts = 0)
    {
        coords = new(coordinates);
        counts = new(maskCounts);
        polygonStart.Add(0);
    }

    public int Count => kind.Count;

    /// <summary>An annotation without a segmentation.</summary>
    public void AddNone()
    {
        Add(SegmentationKind.None, 0, 0, 0, 0, 0);
    }

    /// <summary>A run-length mask of size <paramref name="h"/> x <paramref name="w"/>; its box is found now, while
    /// its counts are in the cache (an evaluation reaches the masks in cell order, all over memory), and stored just
    /// before them (see <see cref="Segmentations.BoxOf(int, Span{double})"/>).</summary>
    public void AddRle(uint h, uint w, ReadOnlySpan<uint> maskCounts)
    {
        Add(SegmentationKind.Rle, h, w, counts.Count + Segmentations.BoxLength, maskCounts.Length, 0);
        Span<double> bb = stackalloc double[4];
        MaskApi.ToBbox(maskCounts, h, w, bb);
        counts.AddRange([(uint)bb[0], (uint)bb[1], (uint)bb[2], (uint)bb[3]]);
        counts.AddRange(maskCounts);
    }

    /// <summary>Starts a polygon list; add its polygons with <see cref="AddPolygon"/>.</summary>
    public void BeginPolygons()
    {
        openPolygons = kind.Count;
        Add(SegmentationKind.Polygons, 0, 0, polygonStart.Count - 1, 0, 0);
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
    public ReadOnlySpan<uint> CountsOf(int i) => (storage[i] == 0 ? this : appended[storage[i] - 1]).counts.AsSpan().Slice(start[i], length[i]);

    public (uint Height, uint Width) SizeOf(int i) => (height[i], width[i]);

    /// <summary>The box of mask entry <paramref name="i"/> (rleToBbox), into <paramref name="bb"/>.</summary>
    public void BoxOf(int i, Span<double> bb) =>
        Segmentations.BoxOf((storage[i] == 0 ? this : appended[storage[i] - 1]).counts.AsSpan(), start[i], bb);

    /// <summary>Drops the entries from <paramref name="count"/> on (a record that was read and then dropped).</summary>
    public void Truncate(int count)
    {
        while (kind.Count > count)
        {
            int i = kind.Count - 1;

            // An appended entry's data stays in its storage, unreferenced; this builder's own is given back.
            if (storage[i] == 0 && kind[i] == SegmentationKind.Rle)
            {
                counts.Truncate(start[i] - Segmentations.BoxLength);
            }
            else if (storage[i] == 0 && kind[i] == SegmentationKind.Polygons)
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
            storage.Truncate(i);
        }
    }

    /// <summary>The flat arrays (the coordinate and count columns of every storage are handed over, not copied; the
    /// builders are done).</summary>
    public Segmentations Build()
    {
        SegmentationBuilder[] all = [this, .. appended];
        return new(
            kind.ToArray(),
            height.ToArray(),
            width.ToArray(),
            start.ToArray(),
            length.ToArray(),
            storage.ToArray(),
            [.. all.Select(b => b.polygonStart.DetachBuffer())],
            [.. all.Select(b => b.coords.DetachBuffer())],
            [.. all.Select(b => b.counts.DetachBuffer())]);
    }

    /// <summary>The entries of <paramref name="parts"/> (consecutive parts of one reading), in order, as one set.</summary>
    public static Segmentations Build(IReadOnlyList<SegmentationBuilder> parts)
    {
        for (int p = 1; p < parts.Count; p++)
        {
            parts[0].Append(parts[p]);
        }

        return parts[0].Build();
    }

    /// <summary>Adds the entries another builder read after these (with everything appended to it): only the
    /// per-entry columns are copied; the coordinates and counts stay in <paramref name="later"/>'s storage.</summary>
    public void Append(SegmentationBuilder later)
    {
        // later's storage s (0 = its own) becomes this builder's storage first + s.
        int first = appended.Count + 1;
        appended.Add(later);
        appended.AddRange(later.appended);
        for (int i = 0; i < later.Count; i++)
        {
            Add(later.kind[i], later.height[i], later.width[i], later.start[i], later.length[i], first + later.storage[i]);
        }
    }

    private void Add(SegmentationKind k, uint h, uint w, int s, int n, int store)
    {
        kind.Add(k);
        height.Add(h);
        width.Add(w);
        start.Add(s);
        length.Add(n);
        storage.Add(store);
    }
}
