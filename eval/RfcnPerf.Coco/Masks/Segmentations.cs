namespace RfcnPerf.Coco.Masks;

/// <summary>
/// The segmentations of a ground truth or a results list, one entry per annotation (file order), held flat:
/// polygons as their coordinates (rasterised when evaluated, on the evaluating thread) and run-length masks as
/// decoded counts (a compressed string is decoded and checked when read). An entry without a segmentation has
/// kind <see cref="SegmentationKind.None"/>. The coordinates and counts stay in the storage of the reader that read
/// them (one per part of a file read in parallel): joining the parts copies only the per-entry columns, not the tens
/// of megabytes of counts, whose copy into fresh memory cost more than decoding them.
/// </summary>
internal sealed class Segmentations
{
    private readonly int[][] polygonStart;
    private readonly double[][] coords;
    private readonly uint[][] counts;

    /// <param name="kind">Per entry: how the segmentation was given.</param>
    /// <param name="height">Per entry: mask height.</param>
    /// <param name="width">Per entry: mask width.</param>
    /// <param name="start">Per entry: first polygon or first count, in its storage.</param>
    /// <param name="length">Per entry: how many polygons or counts.</param>
    /// <param name="storage">Per entry: which storage holds its coordinates or counts.</param>
    /// <param name="polygonStart">Per storage: polygon p has coordinates [polygonStart[p], polygonStart[p + 1]).</param>
    /// <param name="coords">Per storage: polygon coordinates (the array may be longer than what it holds).</param>
    /// <param name="counts">Per storage: run lengths (the array may be longer than what it holds).</param>
    public Segmentations(SegmentationKind[] kind, uint[] height, uint[] width, int[] start, int[] length, int[] storage, int[][] polygonStart, double[][] coords, uint[][] counts)
    {
        Kind = kind;
        Height = height;
        Width = width;
        Start = start;
        Length = length;
        Storage = storage;
        this.polygonStart = polygonStart;
        this.coords = coords;
        this.counts = counts;
    }

    public int Count => Kind.Length;

    public SegmentationKind[] Kind { get; }

    /// <summary>Mask height: the RLE's size[0], or for polygons the image's height (0 when the image has none).</summary>
    public uint[] Height { get; }

    /// <summary>Mask width: the RLE's size[1], or for polygons the image's width.</summary>
    public uint[] Width { get; }

    /// <summary>Polygons: index of the first polygon in its storage; masks: index of the first count.</summary>
    public int[] Start { get; }

    /// <summary>Polygons: how many; masks: how many counts.</summary>
    public int[] Length { get; }

    /// <summary>Which storage (part of the reading) holds the entry's coordinates or counts.</summary>
    public int[] Storage { get; }

    /// <summary>
    /// The box of entry <paramref name="i"/> (a run-length mask), into <paramref name="bb"/>: rleToBbox's [x, y, w, h],
    /// found when the mask was read and stored as <see cref="BoxLength"/> uints just before its counts (whole
    /// numbers computed in uint arithmetic, so a uint holds each exactly; beside the counts, no column of its own).
    /// </summary>
    public void BoxOf(int i, Span<double> bb) => BoxOf(counts[Storage[i]], Start[i], bb);

    /// <summary>The counts of entry <paramref name="i"/> (a run-length mask).</summary>
    public ReadOnlySpan<uint> CountsOf(int i) => counts[Storage[i]].AsSpan(Start[i], Length[i]);

    /// <summary>The array holding the counts of entry <paramref name="i"/>, from <see cref="Start"/>[i] on.</summary>
    public uint[] CountsArrayOf(int i) => counts[Storage[i]];

    /// <summary>The numbers of a mask's box stored before its counts.</summary>
    internal const int BoxLength = 4;

    /// <summary>The box stored before the counts that start at <paramref name="start"/> of <paramref name="store"/>.</summary>
    internal static void BoxOf(ReadOnlySpan<uint> store, int start, Span<double> bb)
    {
        var box = store.Slice(start - BoxLength, BoxLength);
        bb[0] = box[0];
        bb[1] = box[1];
        bb[2] = box[2];
        bb[3] = box[3];
    }

    /// <summary>Coordinates of polygon <paramref name="j"/> (0-based) of entry <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Polygon(int i, int j)
    {
        int s = Storage[i], p = Start[i] + j;
        int[] starts = polygonStart[s];
        return coords[s].AsSpan(starts[p], starts[p + 1] - starts[p]);
    }
}
