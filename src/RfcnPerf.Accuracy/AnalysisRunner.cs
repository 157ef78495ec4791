using System.Diagnostics;
using System.Globalization;
using System.Text;
using RfcnPerf.Coco;
using RfcnPerf.Core;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Reporting;

namespace RfcnPerf.Accuracy;

/// <summary>
/// <c>rfcnperf eval analyze</c>: the diagnostics sections of the accuracy report for any COCO results file (a user's own
/// model too), optionally against a second one of the same images: TIDE errors, the score threshold, calibration, class
/// confusion and the detection agreement.
/// </summary>
public static class AnalysisRunner
{
    /// <summary>The share of one file's images (with detections) the other must also have detections on to be
    /// compared: below it the two files were produced on different images.</summary>
    public const double MinimumSharedImages = 0.5;

    /// <summary>Runs the analysis; returns the report and its Markdown (also written to the out-dir when given).</summary>
    /// <exception cref="RfcnPerfException">An option is wrong, or the two files cover different images.</exception>
    /// <exception cref="CocoException">A file is missing or malformed, or a result is on an image or of a class the ground truth does not have.</exception>
    public static (AnalysisReport Report, string Markdown) Run(AnalysisOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Examples < 0)
        {
            throw new RfcnPerfException($"--examples must be 0 or more, got {options.Examples}");
        }

        foreach (var (name, value) in new[] { ("--agreement-threshold", options.AgreementThreshold), ("--confusion-threshold", options.ConfusionThreshold) })
        {
            if (value is { } v && !double.IsFinite(v))
            {
                throw new RfcnPerfException($"{name} must be a finite number, got {v}");
            }
        }

        if (options.ImagesDir is not null && !Directory.Exists(options.ImagesDir))
        {
            throw new RfcnPerfException($"--images: folder not found at {Path.GetFullPath(options.ImagesDir)}");
        }

        var clock = Stopwatch.StartNew();
        var gt = CocoGroundTruth.Load(options.Annotations);
        var files = options.Vs is null ? new[] { options.Results } : [options.Results, options.Vs];
        var loaded = files.Select(f => LoadChecked(f, gt)).ToArray();
        if (loaded.Length == 2)
        {
            CheckSameImages(files, loaded, log);
        }

        var labels = Labels(files);
        var diagnostics = ReportDiagnostics.Compute(
            gt,
            [.. labels.Select((l, i) => (l, loaded[i]))],
            loaded.Length == 2 ? [(0, 1)] : [],
            options.ImageIds,
            options.AgreementThreshold,
            options.ConfusionThreshold,
            options.Threads);
        var seconds = clock.Elapsed.TotalSeconds;
        var report = new AnalysisReport
        {
            CreatedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Annotations = Path.GetFullPath(options.Annotations),
            Results = [.. files.Select(Path.GetFullPath)],
            Images = diagnostics.Runs[0].Analysis.Images,
            Diagnostics = diagnostics.Runs,
            Agreements = diagnostics.Pairs,
            Seconds = seconds,
        };

        IReadOnlyList<ChartFile> charts = [];
        IReadOnlyList<ExampleImage> examples = [];
        if (options.OutDir is not null)
        {
            Directory.CreateDirectory(options.OutDir);
            charts = DiagnosticCharts.Write(options.OutDir, diagnostics, [.. Enumerable.Range(0, labels.Count)]);
            if (options.ImagesDir is not null && options.Examples > 0 && diagnostics.Pairs.Count > 0)
            {
                var index = AnnotationIndex.From(gt);
                var images = ImageList.FromAnnotations(index.Images, options.ImagesDir);
                var wanted = options.ImageIds?.ToHashSet();
                examples = SideBySideVisualizer.WriteDisagreements(
                    Path.Combine(options.OutDir, "examples"), gt, CategoryMap.FromCategories(index.Categories),
                    [.. images.Where(i => wanted is null || wanted.Contains(i.ImageId))], diagnostics, options.Examples);
            }
        }

        var markdown = Markdown(report, diagnostics, charts, examples);
        if (options.OutDir is not null)
        {
            File.WriteAllText(Path.Combine(options.OutDir, "analysis.md"), markdown);
        }

        if (options.Json is not null)
        {
            JsonReportFile.Write(options.Json, report);
        }

        return (report, markdown);
    }

    private static string Markdown(AnalysisReport report, ReportDiagnostics diagnostics, IReadOnlyList<ChartFile> charts, IReadOnlyList<ExampleImage> examples)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# Detection analysis: ").AppendJoin(" vs ", diagnostics.Runs.Select(r => r.Label)).Append("\n\n");
        sb.Append(inv, $"Ground truth `{report.Annotations}`, {report.Images} images; results ")
            .AppendJoin(", ", report.Results.Select((r, i) => $"{diagnostics.Runs[i].Label} = `{r}`"))
            .Append(inv, $". Analysed in {report.Seconds:0.00} s.\n\n");
        sb.Append(DiagnosticsMarkdown.Build(diagnostics, charts));
        if (examples.Count > 0)
        {
            sb.Append(ReportMarkdown.ExamplesMarkdown(examples, [], diagnostics));
        }

        return sb.ToString();
    }

    // The results, checked to belong to this ground truth: every image id (the loader) and every category id.
    private static CocoResults LoadChecked(string path, CocoGroundTruth gt)
    {
        var results = CocoResults.Load(path, gt);
        for (int i = 0; i < results.Count; i++)
        {
            if (!gt.TryGetCategory(results[i].CategoryId, out _))
            {
                throw new CocoException($"{path}: results[{i}]: category_id {results[i].CategoryId} is not a category of the ground truth {gt.Source} (results for another annotation file?)");
            }
        }

        return results;
    }

    // Two files of one comparison must come from the same images: most images with detections in one have some in the other.
    private static void CheckSameImages(IReadOnlyList<string> files, IReadOnlyList<CocoResults> loaded, Action<string>? log)
    {
        var sets = loaded.Select(r => Enumerable.Range(0, r.Count).Select(i => r[i].ImageId).ToHashSet()).ToArray();
        int shared = sets[0].Count(sets[1].Contains);
        int smaller = Math.Min(sets[0].Count, sets[1].Count);
        if (smaller > 0 && shared < MinimumSharedImages * smaller)
        {
            throw new RfcnPerfException(string.Create(CultureInfo.InvariantCulture,
                $"--vs {files[1]} has detections on {sets[1].Count} images and {files[0]} on {sets[0].Count}, only {shared} of them the same: the two files were produced on different images (compare results of the same images; --img-ids restricts both)"));
        }

        if (shared < Math.Max(sets[0].Count, sets[1].Count))
        {
            log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"note: {sets[0].Count - shared} images have detections only in {files[0]} and {sets[1].Count - shared} only in {files[1]}"));
        }
    }

    // A run's label: the results file's name without .json / .results.json; made unique.
    private static IReadOnlyList<string> Labels(IReadOnlyList<string> files)
    {
        var labels = files.Select(f =>
        {
            var name = Path.GetFileName(f);
            foreach (var suffix in new[] { ".results.json", ".json" })
            {
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name.Length > suffix.Length)
                {
                    return name[..^suffix.Length];
                }
            }

            return name;
        }).ToList();
        if (labels.Count == 2 && labels[0] == labels[1])
        {
            labels[1] += " (--vs)";
        }

        return labels;
    }
}
