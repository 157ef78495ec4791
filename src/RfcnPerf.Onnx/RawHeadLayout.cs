using System.Globalization;

namespace RfcnPerf.Onnx;

/// <summary>One detection level of a raw head: its grid (anchors row-major, x fastest) and stride in input pixels.</summary>
/// <param name="GridWidth">Cells across.</param>
/// <param name="GridHeight">Cells down.</param>
/// <param name="Stride">Input pixels per cell.</param>
public readonly record struct HeadLevel(int GridWidth, int GridHeight, int Stride)
{
    /// <summary>Anchors of this level.</summary>
    public int Anchors => GridWidth * GridHeight;
}

/// <summary>
/// What post-processing needs to decode a yolov8 graph cut at its raw head (<see cref="Yolov8TailCut"/>), as
/// recorded in the cut model's <c>metadata_props</c>: the output tensor [N, 4 x RegMax + Classes, A] holds per
/// anchor 4 x RegMax DFL logits (sides left, top, right, bottom, RegMax bins each) and then Classes class logits
/// (before the sigmoid); anchors run level by level, each level row-major, the anchor point of cell (x, y) at
/// ((x + AnchorOffset) x stride, (y + AnchorOffset) x stride).
/// </summary>
/// <param name="Output">Name of the graph output holding the raw head.</param>
/// <param name="Classes">Class count C.</param>
/// <param name="RegMax">DFL bins per side.</param>
/// <param name="Levels">Detection levels in anchor order.</param>
/// <param name="AnchorOffset">Anchor point within a cell, in cells.</param>
public sealed record RawHeadLayout(string Output, int Classes, int RegMax, IReadOnlyList<HeadLevel> Levels, double AnchorOffset)
{
    /// <summary>Metadata key naming the head kind; its presence is what marks a cut model.</summary>
    public const string KindKey = "rfcnperf.head";

    /// <summary>The kind value of a yolov8 DFL raw head.</summary>
    public const string Yolov8DflKind = "yolov8-dfl-raw";

    private const string OutputKey = "rfcnperf.head.output";
    private const string ClassesKey = "rfcnperf.head.classes";
    private const string RegMaxKey = "rfcnperf.head.reg_max";
    private const string LevelsKey = "rfcnperf.head.levels";
    private const string OffsetKey = "rfcnperf.head.anchor_offset";
    private const string LayoutKey = "rfcnperf.head.layout";

    /// <summary>Channels per anchor: 4 x RegMax + Classes.</summary>
    public int Channels => (4 * RegMax) + Classes;

    /// <summary>Anchors over all levels.</summary>
    public int Anchors => Levels.Sum(l => l.Anchors);

    /// <summary>The metadata entries that describe this layout, in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToMetadata()
    {
        var ci = CultureInfo.InvariantCulture;
        return
        [
            new(KindKey, Yolov8DflKind),
            new(OutputKey, Output),
            new(ClassesKey, Classes.ToString(ci)),
            new(RegMaxKey, RegMax.ToString(ci)),
            new(LevelsKey, string.Join(",", Levels.Select(l => string.Create(ci, $"{l.GridWidth}x{l.GridHeight}@{l.Stride}")))),
            new(OffsetKey, AnchorOffset.ToString("R", ci)),
            new(LayoutKey, $"[N, {Channels}, {Anchors}]: per anchor 4 sides (left, top, right, bottom) x {RegMax} DFL bin logits, then {Classes} class logits before sigmoid; " +
                           $"anchors level by level (WxH@stride), row-major; anchor point (x + {AnchorOffset.ToString("R", ci)}, y + {AnchorOffset.ToString("R", ci)}) x stride"),
        ];
    }

    /// <summary>
    /// The layout recorded in <paramref name="metadata"/>, or null when the model declares no raw head. A model
    /// that declares one with missing or malformed entries is refused (<see cref="OnnxModelException"/>) rather
    /// than guessed from shapes.
    /// </summary>
    public static RawHeadLayout? FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(KindKey, out var kind))
        {
            return null;
        }

        if (kind != Yolov8DflKind)
        {
            throw Malformed(source, KindKey, Yolov8DflKind, kind);
        }

        string Get(string key) => metadata.TryGetValue(key, out var v) ? v : throw Malformed(source, key, "a value", "none");

        int Int(string key, int min)
        {
            var text = Get(key);
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v
                : throw Malformed(source, key, $"an integer >= {min}", text);
        }

        var levels = new List<HeadLevel>();
        foreach (var part in Get(LevelsKey).Split(','))
        {
            var at = part.Split('@');
            var wh = at[0].Split('x');
            if (at.Length != 2 || wh.Length != 2
                || !int.TryParse(wh[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w) || w < 1
                || !int.TryParse(wh[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || h < 1
                || !int.TryParse(at[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s < 1)
            {
                throw Malformed(source, LevelsKey, "WxH@stride[,WxH@stride...]", Get(LevelsKey));
            }

            levels.Add(new HeadLevel(w, h, s));
        }

        var offsetText = Get(OffsetKey);
        if (!double.TryParse(offsetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var offset) || !(offset >= 0 && offset <= 1))
        {
            throw Malformed(source, OffsetKey, "a number in [0, 1]", offsetText);
        }

        return new RawHeadLayout(Get(OutputKey), Int(ClassesKey, 1), Int(RegMaxKey, 1), levels, offset);
    }

    private static OnnxModelException Malformed(string source, string key, string expected, string found) =>
        new($"{source}: metadata '{key}' of a cut decoding tail: expected {expected}, found '{found}'; the model declares a raw head ({KindKey}) but cannot be decoded as one.");
}
