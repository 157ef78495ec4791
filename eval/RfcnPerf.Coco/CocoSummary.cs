using System.Globalization;
using System.Text;

namespace RfcnPerf.Coco;

/// <summary>
/// The result of COCOeval.summarize: the 12 stats (10 for keypoints; the same doubles pycocotools computes), the
/// lines it prints, and the same numbers per category. Formatting lives here so every tool prints the same table.
/// </summary>
public sealed class CocoSummary
{
    private readonly double[] stats;
    private readonly string[] statNames;
    private readonly string[] statLines;
    private readonly CocoCategoryMetrics[] perCategory;

    internal CocoSummary(double[] stats, string[] statNames, string[] statLines, CocoCategoryMetrics[] perCategory, EvalSetup setup)
    {
        this.stats = stats;
        this.statNames = statNames;
        this.statLines = statLines;
        this.perCategory = perCategory;
        Setup = setup;
    }

    /// <summary>
    /// The stats in pycocotools' order: for bbox and segm the 12 AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100,
    /// ARs, ARm, ARl; for keypoints the 10 AP, AP50, AP75, APm, APl, AR, AR50, AR75, ARm, ARl (all at maxDets 20).
    /// </summary>
    public IReadOnlyList<double> Stats => stats;

    /// <summary>Names of <see cref="Stats"/>; the bbox/segm AR names follow maxDets (AR1, AR10, AR100 by default).</summary>
    public IReadOnlyList<string> StatNames => statNames;

    /// <summary>The lines summarize() prints, character for character.</summary>
    public IReadOnlyList<string> StatLines => statLines;

    /// <summary>What was evaluated.</summary>
    public CocoIouType IouType => Setup.IouType;

    /// <summary>Per-category metrics in category-id order (one entry, id -1, when evaluated class-agnostically).</summary>
    public IReadOnlyList<CocoCategoryMetrics> PerCategory => perCategory;

    internal EvalSetup Setup { get; }

    /// <summary>The lines as pycocotools prints them, each ending with a newline.</summary>
    public string FormatStats()
    {
        var sb = new StringBuilder();
        foreach (string line in statLines)
        {
            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// A per-category table (id, name, AP, AP50, AP75, APs, APm, APl, AR at the largest maxDets), values with
    /// three decimals like the summary (-1.000: no ground truth in that setting).
    /// </summary>
    public string FormatPerCategory(CocoCategorySort sort = CocoCategorySort.AP)
    {
        var rows = Sorted(sort);
        string[] headers = ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR" + Setup.MaxDetLast.ToString(CultureInfo.InvariantCulture)];
        int idWidth = 2, nameWidth = 4;
        foreach (var c in rows)
        {
            idWidth = Math.Max(idWidth, c.CategoryId.ToString(CultureInfo.InvariantCulture).Length);
            nameWidth = Math.Max(nameWidth, c.Name.Length);
        }

        const int valueWidth = 6;
        var sb = new StringBuilder();
        sb.Append("id".PadLeft(idWidth)).Append("  ").Append("name".PadRight(nameWidth));
        foreach (string h in headers)
        {
            sb.Append("  ").Append(h.PadLeft(valueWidth));
        }

        sb.Append('\n');
        foreach (var c in rows)
        {
            sb.Append(c.CategoryId.ToString(CultureInfo.InvariantCulture).PadLeft(idWidth)).Append("  ").Append(c.Name.PadRight(nameWidth));
            foreach (double v in (double[])[c.AP, c.AP50, c.AP75, c.APs, c.APm, c.APl, c.AR100])
            {
                sb.Append("  ").Append(PyFormat.Fixed(v, 3).PadLeft(valueWidth));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    // COCOeval.summarize (_summarizeDets or _summarizeKps) plus the same reductions per category.
    internal static CocoSummary Create(CocoAccumulation acc, CocoGroundTruth gt)
    {
        var setup = acc.Setup;
        bool keypoints = setup.IouType == CocoIouType.Keypoints;
        if (!keypoints && setup.M < 3)
        {
            throw new CocoException($"summarize needs at least 3 maxDets (it reports AR at maxDets[0], [1] and [2]); found {setup.M}: {string.Join(",", setup.MaxDets)}");
        }

        if (setup.T == 0)
        {
            throw new CocoException("summarize needs at least one IoU threshold (it prints iouThrs[0] and iouThrs[-1])");
        }

        int[] md = setup.MaxDets;
        var summarizer = new Summarizer(acc);
        (bool Ap, double? Iou, string Area, int MaxDets)[] specs = keypoints
            ?
            [
                // _summarizeKps: maxDets=20 literally, whatever params.maxDets holds.
                (true, null, "all", 20),
                (true, 0.5, "all", 20),
                (true, 0.75, "all", 20),
                (true, null, "medium", 20),
                (true, null, "large", 20),
                (false, null, "all", 20),
                (false, 0.5, "all", 20),
                (false, 0.75, "all", 20),
                (false, null, "medium", 20),
                (false, null, "large", 20),
            ]
            :
            [
                (true, null, "all", 100),
                (true, 0.5, "all", md[2]),
                (true, 0.75, "all", md[2]),
                (true, null, "small", md[2]),
                (true, null, "medium", md[2]),
                (true, null, "large", md[2]),
                (false, null, "all", md[0]),
                (false, null, "all", md[1]),
                (false, null, "all", md[2]),
                (false, null, "small", md[2]),
                (false, null, "medium", md[2]),
                (false, null, "large", md[2]),
            ];
        var stats = new double[specs.Length];
        var lines = new string[specs.Length];
        for (int i = 0; i < specs.Length; i++)
        {
            var (ap, iou, area, maxDets) = specs[i];
            stats[i] = summarizer.Summarize(ap, iou, area, maxDets);
            lines[i] = FormatLine(setup, ap, iou, area, maxDets, stats[i]);
        }

        string[] names = keypoints
            ? ["AP", "AP50", "AP75", "APm", "APl", "AR", "AR50", "AR75", "ARm", "ARl"]
            :
            [
                "AP", "AP50", "AP75", "APs", "APm", "APl",
                Ar(md[0]), Ar(md[1]), Ar(md[2]), "ARs", "ARm", "ARl",
            ];

        var perCategory = new CocoCategoryMetrics[setup.K];
        for (int k = 0; k < setup.K; k++)
        {
            long id = setup.CatIds[k];
            string name = !setup.UseCats ? "(all categories)" : gt.TryGetCategory(id, out var cat) ? cat.Name : string.Empty;
            perCategory[k] = summarizer.ForCategory(k, id, name);
        }

        return new CocoSummary(stats, names, lines, perCategory, setup);
    }

    private static string Ar(int maxDets) => "AR" + maxDets.ToString(CultureInfo.InvariantCulture);

    // iStr = ' {:<18} {} @[ IoU={:<9} | area={:>6s} | maxDets={:>3d} ] = {:0.3f}'
    private static string FormatLine(EvalSetup setup, bool ap, double? iouThr, string area, int maxDets, double value)
    {
        string title = ap ? "Average Precision" : "Average Recall";
        string type = ap ? "(AP)" : "(AR)";
        string iou = iouThr is double t
            ? PyFormat.Fixed(t, 2)
            : PyFormat.Fixed(setup.IouThrs[0], 2) + ":" + PyFormat.Fixed(setup.IouThrs[^1], 2);
        return string.Create(
            CultureInfo.InvariantCulture,
            $" {title,-18} {type} @[ IoU={iou,-9} | area={area,6} | maxDets={maxDets,3} ] = {PyFormat.Fixed(value, 3)}");
    }

    private CocoCategoryMetrics[] Sorted(CocoCategorySort sort)
    {
        var rows = (CocoCategoryMetrics[])perCategory.Clone();
        Func<CocoCategoryMetrics, double>? metric = sort switch
        {
            CocoCategorySort.AP => c => c.AP,
            CocoCategorySort.AP50 => c => c.AP50,
            CocoCategorySort.AP75 => c => c.AP75,
            CocoCategorySort.APs => c => c.APs,
            CocoCategorySort.APm => c => c.APm,
            CocoCategorySort.APl => c => c.APl,
            CocoCategorySort.AR100 => c => c.AR100,
            _ => null,
        };
        Comparison<CocoCategoryMetrics> byId = (x, y) => x.CategoryId.CompareTo(y.CategoryId);
        Comparison<CocoCategoryMetrics> compare = sort switch
        {
            CocoCategorySort.Id => byId,
            CocoCategorySort.Name => (x, y) => string.CompareOrdinal(x.Name, y.Name) is int c && c != 0 ? c : byId(x, y),
            _ => (x, y) => metric!(y).CompareTo(metric!(x)) is int c && c != 0 ? c : byId(x, y),
        };

        // The comparison is total (ties broken by id), so an unstable sort still gives one order.
        Array.Sort(rows, compare);
        return rows;
    }
}
