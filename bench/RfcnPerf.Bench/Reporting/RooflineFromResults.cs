using System.Globalization;
using System.Text;
using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core;
using RfcnPerf.Reporting;

namespace RfcnPerf.Bench.Reporting;

/// <summary>
/// <c>run-bench --roofline-from DIR</c>: draws a past run's roofline again from what its results folder keeps, so a
/// change to the chart or to the traffic estimate can be seen on published numbers without measuring them again. The
/// points are the achieved GFLOP/s column of BenchmarkDotNet's CSV reports (<c>results/*-report.csv</c> and a model
/// group's <c>GROUP/results/*-report.csv</c>, the same
/// cases the live chart takes), their intensities today's estimate for the run's models at each case's batch, and the
/// roofs the peak and bandwidth rows of the run's summary.md.
/// </summary>
internal static class RooflineFromResults
{
    private const string SweepPrefix = "RfcnPerf.Bench.Benchmarks.";
    private const string CsvSuffix = "-report.csv";

    /// <summary>Redraws <c>DIR/charts/roofline.png</c>; returns the exit code (2 with one stderr line on a bad folder).</summary>
    public static int Run(string dir)
    {
        try
        {
            var summaryPath = Path.Combine(dir, "summary.md");
            if (!File.Exists(summaryPath))
            {
                throw new RfcnPerfException($"{Path.GetFullPath(dir)} is not a run-bench results folder: it has no summary.md");
            }

            var ceilings = RooflineCeilings.FromSummary(File.ReadAllText(summaryPath))
                ?? throw new RfcnPerfException($"{Path.GetFullPath(summaryPath)} has no 'Memory bandwidth' row: the run predates the roofline");
            // A run keeps its reports in results/, and those of a model group sampled less in <group>/results/.
            var reports = Directory.EnumerateFiles(dir, SweepPrefix + "*" + CsvSuffix, SearchOption.AllDirectories)
                .Where(p => Path.GetFileName(Path.GetDirectoryName(p)) == "results")
                .Order(StringComparer.Ordinal)
                .ToList();
            var skipped = new SortedSet<string>(StringComparer.Ordinal);
            var points = Points(reports.Select(p => (Path.GetFileName(p)[SweepPrefix.Length..^CsvSuffix.Length], ReadCsv(p))), name =>
            {
                if (Variant(name) is not { } variant)
                {
                    skipped.Add($"{name} (not a catalog model)");
                    return null;
                }

                if (ModelCompute.PerImage(variant).Estimate is not { } estimate)
                {
                    skipped.Add($"{name} (no traffic estimate: its model file is not available here or has unknown shapes)");
                    return null;
                }

                return estimate.Intensity;
            });
            using var plot = RooflineChart.Render(points, ceilings)
                ?? throw new RfcnPerfException($"no inference case with an achieved rate and an intensity estimate in the CSV reports under {Path.GetFullPath(dir)}");
            var chart = RooflineChart.Save(plot, Charts.Directory(dir));
            var ringed = RooflineChart.Notes(points, ceilings).Sum(n => n.Points.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run-bench: wrote {Path.GetFullPath(Path.Combine(dir, chart.RelativePath))}: {points.Count} cases of {points.Select(p => p.Series).Distinct().Count()} models, {ringed} above a roof{(skipped.Count == 0 ? string.Empty : $"; left out: {string.Join(", ", skipped)}")}"));
            return 0;
        }
        catch (Exception ex) when (ex is RfcnPerfException or IOException)
        {
            Console.Error.WriteLine($"run-bench: {ex.Message}");
            return 2;
        }
    }

    /// <summary>
    /// The roofline points of CSV reports: rows with a numeric GFLOP/s of the sweep benchmarks the live chart takes
    /// (end-to-end and pipelined cases left out), at the intensity <paramref name="intensity"/> gives for the row's
    /// variant and batch (a variant it returns null for is left out).
    /// </summary>
    internal static IReadOnlyList<RooflinePoint> Points(
        IEnumerable<(string Benchmark, CsvTable Table)> reports, Func<string, Func<int, double?>?> intensity)
    {
        var points = new List<RooflinePoint>();
        foreach (var (benchmark, table) in reports)
        {
            if (benchmark is nameof(EndToEndBenchmarks) or nameof(PipelinedThroughputBenchmarks))
            {
                continue;
            }

            foreach (var row in table.Rows)
            {
                if (!row.TryGetValue("Variant", out var variant) || !row.TryGetValue("GFLOP/s", out var rateText)
                    || !double.TryParse(rateText, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var rate) || !(rate > 0)
                    || intensity(variant) is not { } of)
                {
                    continue;
                }

                var batch = row.TryGetValue("Batch", out var b) && int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 1;
                if (of(batch) is { } x and > 0)
                {
                    var name = benchmark.Replace("Benchmarks", string.Empty, StringComparison.Ordinal);
                    var parameters = Parameters(name, table.Header, row).ToList();
                    var configuration = $"{name}{(parameters.Count == 0 ? string.Empty : ": " + string.Join(", ", parameters))}";
                    points.Add(new RooflinePoint(variant, Variant(variant)?.IsInt8 ?? variant.EndsWith(" INT8", StringComparison.Ordinal), x, rate, configuration));
                }
            }
        }

        return points;
    }

    /// <summary>A CSV file (RFC 4180 quoting): its header and its rows keyed by the header's column names.</summary>
    internal static CsvTable ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).Select(SplitCsv).ToList();
        if (lines.Count == 0)
        {
            return new CsvTable([], []);
        }

        var header = lines[0];
        return new CsvTable(header,
        [
            .. lines.Skip(1).Select(cells => (IReadOnlyDictionary<string, string>)header
                .Select((name, i) => (name, value: i < cells.Count ? cells[i] : string.Empty))
                .GroupBy(c => c.name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().value, StringComparer.Ordinal)),
        ]);
    }

    private static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }

    // BenchmarkDotNet's CSV lists the job's settings, then the benchmark's parameters, then the statistics from Mean on.
    // A parameter named like its benchmark (Streams of StreamsBenchmarks) is shown by its value alone.
    private static IEnumerable<string> Parameters(string benchmark, IReadOnlyList<string> header, IReadOnlyDictionary<string, string> row)
    {
        var first = header.ToList().IndexOf("WarmupCount") + 1;
        var mean = header.ToList().IndexOf("Mean");
        return first <= 0 || mean < first
            ? []
            : header.Skip(first).Take(mean - first).Where(n => n != "Variant").Select(n => n == benchmark ? row[n] : $"{n} {row[n]}");
    }

    /// <summary>The catalog variant named like BenchmarkDotNet's Variant column (<c>yolov8n INT8</c>), or null.</summary>
    private static ModelVariant? Variant(string name)
    {
        var space = name.LastIndexOf(' ');
        if (space <= 0 || RfcnPerf.Core.Assets.ModelCatalog.Find(name[..space]) is null)
        {
            return null;
        }

        return BenchProfile.ExpandCatalogModel(name[..space]).FirstOrDefault(v => v.ToString() == name);
    }
}
