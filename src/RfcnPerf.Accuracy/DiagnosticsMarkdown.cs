using System.Globalization;
using System.Text;
using RfcnPerf.Coco.Analysis;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy;

/// <summary>
/// The diagnostics sections of report.md and of <c>eval analyze</c>: TIDE errors, the confidence threshold, calibration,
/// class confusion and the agreement of each pair. Every sentence is computed from the numbers it states.
/// </summary>
internal static class DiagnosticsMarkdown
{
    /// <summary>Confused class pairs shown per model (report.json lists <see cref="RunDiagnostics.ConfusedPairsListed"/>).</summary>
    private const int ConfusedPairsShown = 5;

    /// <summary>Classes listed per pair among those whose boxes changed most.</summary>
    private const int ClassesShown = 5;

    private static readonly string[] TypeDescriptions =
    [
        "wrong class, right box (IoU \u2265 0.5 with another class)",
        "right class, box off (IoU 0.1-0.5)",
        "wrong class and box off",
        "a second box on an object already found",
        "a box on background (IoU \u2264 0.1 with every object)",
        "an object no box found",
    ];

    /// <summary>"Cls: wrong class" and the like, for chart labels.</summary>
    public static string DescribeShort(string shortName) => shortName switch
    {
        "Cls" => "Cls: wrong class",
        "Loc" => "Loc: box off",
        "Both" => "Both: class and box",
        "Dupe" => "Dupe: duplicate",
        "Bkg" => "Bkg: background",
        "Miss" => "Miss: missed object",
        _ => shortName,
    };

    /// <summary>The sections, each starting with a level-2 heading.</summary>
    public static string Build(ReportDiagnostics d, IReadOnlyList<ChartFile> charts)
    {
        var sb = new StringBuilder();
        AppendTide(sb, d, charts);
        AppendConfidence(sb, d, charts);
        AppendCalibration(sb, d, charts);
        AppendConfusion(sb, d);
        foreach (var pair in d.Pairs)
        {
            AppendAgreement(sb, pair, charts);
        }

        return sb.ToString();
    }

    private static void AppendTide(StringBuilder sb, ReportDiagnostics d, IReadOnlyList<ChartFile> charts)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("## Errors by type (TIDE)\n\n");
        sb.Append("TIDE (dbolya/tide; ported from tidecv 1.0.1, same numbers) splits the AP50 a model misses into six error types. On its own matching ")
            .Append("(per image the 100 highest-scoring boxes across classes, IoU 0.5, crowd boxes ignored) every false positive gets one type; ")
            .Append("a type's **dAP** is the AP50 gained, in points (0-100), when an oracle fixes only the errors of that type. ")
            .Append("TIDE's AP50 is close to, not equal to, COCOeval's AP50 above (another matching and class average).\n\n");
        var header = new List<string> { "error type" };
        foreach (var r in d.Runs)
        {
            header.Add($"{r.Label} dAP");
            header.Add("errors");
        }

        foreach (var p in d.Pairs)
        {
            header.Add($"\u0394 dAP {p.Candidate} vs {p.Baseline}");
            header.Add("\u0394 errors");
        }

        var rows = new List<IReadOnlyList<string>>();
        var apRow = new List<string> { "TIDE AP50 (not an error)" };
        foreach (var r in d.Runs)
        {
            apRow.Add(Md.F(r.Analysis.Tide.Ap, 2));
            apRow.Add(string.Empty);
        }

        foreach (var p in d.Pairs)
        {
            apRow.Add(SignedF(Of(d, p.Candidate).Tide.Ap - Of(d, p.Baseline).Tide.Ap, 2));
            apRow.Add(string.Empty);
        }

        rows.Add(apRow);
        for (int t = 0; t < Tide.ShortNames.Count; t++)
        {
            var row = new List<string> { $"{Tide.ShortNames[t]}: {TypeDescriptions[t]}" };
            foreach (var r in d.Runs)
            {
                row.Add(Md.F(r.Analysis.Tide.Errors[t].DeltaAp, 2));
                row.Add(r.Analysis.Tide.Errors[t].Count.ToString(inv));
            }

            foreach (var p in d.Pairs)
            {
                row.Add(SignedF(p.TideDeltaAp[t], 2));
                row.Add(SignedCount(p.TideCountDelta[t]));
            }

            rows.Add(row);
        }

        foreach (var (name, value) in new (string, Func<TideResult, double>)[]
                 {
                     ("FalsePos: every false positive ranked below every true positive", t => t.FalsePositiveDeltaAp),
                     ("FalseNeg: every missed object found (precision kept)", t => t.FalseNegativeDeltaAp),
                 })
        {
            var row = new List<string> { name };
            foreach (var r in d.Runs)
            {
                row.Add(Md.F(value(r.Analysis.Tide), 2));
                row.Add(string.Empty);
            }

            foreach (var p in d.Pairs)
            {
                row.Add(SignedF(value(Of(d, p.Candidate).Tide) - value(Of(d, p.Baseline).Tide), 2));
                row.Add(string.Empty);
            }

            rows.Add(row);
        }

        sb.Append(Md.Table(header, rows)).Append('\n');
        foreach (var p in d.Pairs)
        {
            var types = Enumerable.Range(0, Tide.ShortNames.Count).ToArray();
            sb.Append(inv, $"- {p.Candidate} against {p.Baseline}: TIDE AP50 {Of(d, p.Baseline).Tide.Ap:0.00} \u2192 {Of(d, p.Candidate).Tide.Ap:0.00}. ")
                .Append("Error counts that grew: ").Append(Changes(types.Where(t => p.TideCountDelta[t] > 0).OrderByDescending(t => p.TideCountDelta[t]), t => SignedCount(p.TideCountDelta[t])))
                .Append("; fell: ").Append(Changes(types.Where(t => p.TideCountDelta[t] < 0).OrderBy(t => p.TideCountDelta[t]), t => SignedCount(p.TideCountDelta[t])))
                .Append(". dAP (the AP50 a fix of the type would add) grew: ").Append(Changes(types.Where(t => p.TideDeltaAp[t] > 0).OrderByDescending(t => p.TideDeltaAp[t]), t => SignedF(p.TideDeltaAp[t], 2)))
                .Append("; fell: ").Append(Changes(types.Where(t => p.TideDeltaAp[t] < 0).OrderBy(t => p.TideDeltaAp[t]), t => SignedF(p.TideDeltaAp[t], 2)))
                .Append(".\n");
        }

        if (d.Pairs.Count > 0)
        {
            sb.Append('\n');
        }

        ReportMarkdown.AppendChart(sb, charts, "tide-errors.png");
    }

    private static void AppendConfidence(StringBuilder sb, ReportDiagnostics d, IReadOnlyList<ChartFile> charts)
    {
        sb.Append("## Score threshold: precision, recall and F1\n\n");
        sb.Append("COCOeval's matching at IoU 0.5 (area all, at most 100 boxes per image and class; boxes on crowd regions left out), ")
            .Append("all classes pooled: keeping only the boxes that score at least a threshold, how many are right (precision) and how many objects they find (recall). ")
            .Append("The best-F1 threshold is searched over every distinct score.\n\n");
        sb.Append(Md.Table(
            ["model", "best-F1 score threshold", "precision", "recall", "F1", "objects (ground truth)", "boxes counted"],
            d.Runs.Select(r =>
            {
                var c = r.Analysis.Confidence;
                return (IReadOnlyList<string>)[r.Label, Md.F(c.BestThreshold, 3), Md.F(c.BestPrecision, 3), Md.F(c.BestRecall, 3), Md.F(c.BestF1, 3),
                    c.GroundTruths.ToString(CultureInfo.InvariantCulture), c.Detections.ToString(CultureInfo.InvariantCulture)];
            })));
        sb.Append('\n');
        ReportMarkdown.AppendChart(sb, charts, "f1-vs-threshold.png");
    }

    private static void AppendCalibration(StringBuilder sb, ReportDiagnostics d, IReadOnlyList<ChartFile> charts)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("## Calibration: do the scores mean what they say?\n\n");
        sb.Append("The boxes of the previous section in 10 score bins of width 0.1; a bin is calibrated when the share of true positives in it equals its mean score. ")
            .Append("ECE: the bins' gaps weighted by their share of the boxes; MCE: the largest gap.\n\n");
        sb.Append(Md.Table(
            ["model", "ECE", "MCE", "boxes", "boxes scoring < 0.1 (right)", "largest gap: bin, mean score, share right, boxes"],
            d.Runs.Select(r =>
            {
                var cal = r.Analysis.Calibration;
                var low = cal.Bins[0];
                var worst = cal.Bins.Where(b => b.Count > 0).MaxBy(b => Math.Abs(b.Accuracy - b.MeanScore));
                return (IReadOnlyList<string>)
                [
                    r.Label, Md.F(cal.ExpectedCalibrationError, 4), Md.F(cal.MaximumCalibrationError, 4), cal.Detections.ToString(inv),
                    cal.Detections > 0 ? $"{Md.Percent((double)low.Count / cal.Detections)} ({(low.Count > 0 ? Md.Percent(low.Accuracy) : Md.Unknown)})" : Md.Unknown,
                    worst is null ? Md.Unknown : string.Create(inv, $"{worst.Lower:0.0}-{worst.Upper:0.0}, {worst.MeanScore:0.000}, {Md.Percent(worst.Accuracy)}, {worst.Count}"),
                ];
            })));
        sb.Append('\n');
        if (d.Runs.Any(r => r.Analysis.Calibration.Detections > 0 && r.Analysis.Calibration.Bins[0].Count * 2 > r.Analysis.Calibration.Detections))
        {
            sb.Append("Most boxes of a results file written at a low score threshold score below 0.1 and are rarely right: they hold the ECE down, so the MCE and the chart tell more about the boxes a user keeps.\n\n");
        }

        foreach (var p in d.Pairs)
        {
            double before = Of(d, p.Baseline).Calibration.ExpectedCalibrationError;
            double after = Of(d, p.Candidate).Calibration.ExpectedCalibrationError;
            sb.Append(inv, $"- ECE {p.Baseline} {before:0.0000} \u2192 {p.Candidate} {after:0.0000} ({SignedF(p.EceDelta, 4)}): ")
                // Judged on the printed delta's digits: a change that rounds to +0.0000 is no change a reader can see.
                .Append(Math.Round(p.EceDelta, 4) switch
                {
                    > 0 => "the scores are less calibrated",
                    < 0 => "the scores are better calibrated",
                    _ => "unchanged at four decimals",
                })
                .Append(".\n");
        }

        sb.Append('\n');
        ReportMarkdown.AppendChart(sb, charts, "reliability.png");
    }

    private static void AppendConfusion(StringBuilder sb, ReportDiagnostics d)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("## Confusion between classes\n\n");
        sb.Append("Each model at its best-F1 threshold (or the one given): its true positives on the diagonal; a false positive is paired with the unmatched object of ")
            .Append("another class it overlaps most (IoU \u2265 0.5) when there is one, else counted as background; objects left unmatched are missed. ")
            .Append("The whole matrix, raw and row-normalised, is in the JSON output. The class pairs confused most:\n\n");
        foreach (var r in d.Runs)
        {
            var m = r.Analysis.Confusion;
            int found = Enumerable.Range(0, m.Background).Sum(c => m.Counts[c][c]);
            int confused = Enumerable.Range(0, m.Background).Sum(t => Enumerable.Range(0, m.Background).Where(p => p != t).Sum(p => m.Counts[t][p]));
            int background = m.Counts[m.Background].Sum();
            int missed = Enumerable.Range(0, m.Background).Sum(t => m.Counts[t][m.Background]);
            sb.Append(inv, $"**{r.Label}** (boxes scoring \u2265 {m.ScoreThreshold:0.000}): {found} found with the right class, {confused} taken for another class, {background} boxes on background, {missed} objects missed.\n\n");
            var top = r.MostConfused.Take(ConfusedPairsShown).ToArray();
            if (top.Length == 0)
            {
                sb.Append("No object was taken for another class.\n\n");
                continue;
            }

            sb.Append(Md.Table(
                ["true class", "detected as", "objects", "share of the true class"],
                top.Select(p => (IReadOnlyList<string>)[p.TrueName, p.PredictedName, p.Count.ToString(inv), Md.Percent(p.ShareOfTrueClass)]),
                textColumns: 2)).Append('\n');
        }
    }

    private static void AppendAgreement(StringBuilder sb, PairAgreement p, IReadOnlyList<ChartFile> charts)
    {
        var inv = CultureInfo.InvariantCulture;
        var a = p.Agreement;
        var t = a.Totals;
        sb.Append(inv, $"## Agreement: {p.Candidate} against {p.Baseline}\n\n");
        sb.Append(inv, $"Boxes scoring at least \u03c4 = {a.ScoreThreshold:0.000} ({p.Baseline}'s best-F1 threshold unless given): {t.Baseline} of {p.Baseline}, {t.Candidate} of {p.Candidate}. ")
            .Append(inv, $"Image by image, in {p.Baseline}'s score order, each box takes the unpaired box of {p.Candidate} of its class that overlaps it most (kept at IoU \u2265 0.9, moved at 0.5-0.9), ")
            .Append("else one of another class at IoU \u2265 0.5 (relabelled), else it is lost; the boxes left over are gained. Agreement = kept over all objects either model reports.\n\n");
        sb.Append(Md.Table(
            ["kept", "moved", "relabelled", $"lost ({p.Baseline} only)", $"gained ({p.Candidate} only)", "agreement"],
            [[t.Kept.ToString(inv), t.Moved.ToString(inv), t.Relabelled.ToString(inv), t.Lost.ToString(inv), t.Gained.ToString(inv), Md.Percent(t.AgreementRate)]],
            textColumns: 0)).Append('\n');
        var lostMost = a.PerClass.Where(c => c.Counts.Lost > 0).OrderByDescending(c => c.Counts.Lost - c.Counts.Gained).ThenByDescending(c => c.Counts.Lost).ThenBy(c => c.CategoryId).Take(ClassesShown).ToArray();
        if (lostMost.Length > 0)
        {
            sb.Append(inv, $"The classes whose boxes {p.Candidate} lost most (lost \u2212 gained): ")
                .AppendJoin(", ", lostMost.Select(c => string.Create(inv, $"{c.Name} {c.Counts.Lost} lost, {c.Counts.Gained} gained of {c.Counts.Baseline}")))
                .Append(".\n\n");
        }

        ReportMarkdown.AppendChart(sb, charts, DiagnosticCharts.AgreementFile(p));
    }

    // "Loc +43, Cls +12", or "none".
    private static string Changes(IEnumerable<int> types, Func<int, string> value)
    {
        var parts = types.Select(t => $"{Tide.ShortNames[t]} {value(t)}").ToArray();
        return parts.Length > 0 ? string.Join(", ", parts) : "none";
    }

    private static DetectionAnalysisResult Of(ReportDiagnostics d, string label) => d.Runs.First(r => r.Label == label).Analysis;

    private static string SignedF(double v, int decimals) => !double.IsFinite(v) ? Md.Unknown : (v >= 0 ? "+" : "\u2212") + Md.F(Math.Abs(v), decimals);

    private static string SignedCount(int v) => (v >= 0 ? "+" : "\u2212") + Math.Abs(v).ToString(CultureInfo.InvariantCulture);
}
