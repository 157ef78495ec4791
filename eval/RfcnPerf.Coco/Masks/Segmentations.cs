namespace RfcnPerf.Coco.Masks;

/// <summary>
/// The segmentations of a ground truth or a results list, one entry per annotation (file order), held flat:
/// polygons as their coordinates (rasterised when evaluated, on the evaluating thread) and run-length masks as
/// decoded counts (a compressed string is decoded and checked when read). An entry without a segmentation has
/// kind <see cref="SegmentationKind.None"/>.
/// </summary>
internal sealed class Segmentations
{
    public Segmentations(SegmentationKind[] kind, uint[] height, uint[] width, int[] start, int[] length, int[] polygonStart, double[] coords, uint[] counts)
    {
        Kind = kind;
        Height = height;
        Width = width;
        Start = start;
        Length = length;
        PolygonStart = polygonStart;
        Coords = coords;
        Counts = counts;
    }

    public int Count => Kind.Length;

    public SegmentationKind[] Kind { get; }

    /// <summary>Mask height: the RLE's size[0], or for polygons the image's height (0 when the image has none).</summary>
    public uint[] Height { get; }

    /// <summary>Mask width: the RLE's size[1], or for polygons the image's width.</summary>
    public uint[] Width { get; }

    /// <summary>Polygons: index of the first polygon in <see cref="PolygonStart"/>; masks: first count in <see cref="Counts"/>.</summary>
    public int[] Start { get; }

    /// <summary>Polygons: how many; masks: how many counts.</summary>
    public int[] Length { get; }

    /// <summary>Polygon p has coordinates <see cref="Coords"/>[PolygonStart[p] .. PolygonStart[p + 1]).</summary>
    public int[] PolygonStart { get; }

    /// <summary>Polygon coordinates, read through <see cref="Polygon"/> (the array may be longer than what it holds).</summary>
    public double[] Coords { get; }

    /// <summary>Run lengths, read through <see cref="CountsOf"/> (the array may be longer than what it holds).</summary>
    public uint[] Counts { get; }

    /// <summary>The counts of entry <paramref name="i"/> (a run-length mask).</summary>
    public ReadOnlySpan<uint> CountsOf(int i) => Counts.AsSpan(Start[i], Length[i]);

    /// <summary>Coordinates of polygon <paramref name="j"/> (0-based) of entry <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Polygon(int i, int j)
    {
        int p = Start[i] + j;
        return Coords.AsSpan(PolygonStart[p], PolygonStart[p + 1] - PolygonStart[p]);
    }
}
