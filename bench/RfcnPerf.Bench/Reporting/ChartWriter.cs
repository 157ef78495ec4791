using System.Globalization;
using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Reporting;
using ScottPlot;

namespace RfcnPerf.Bench.Reporting;

/// <summary>
/// The run's charts as PNG (ScottPlot): latency against intra-op threads, throughput against batch size,
/// FP32 against INT8 per model pair, the per-request latency distribution, and (when they ran) throughput
/// against streams and the end-to-end stage breakdown. Every chart has a title, axis labels with units and a
/// legend.
/// </summary>
internal static class ChartWriter
{
    private const int Width = 1000;
    private const int Height = 600;

    /// <summary>Writes every chart the run has data for into <c>charts/</c>; returns them in reading order.</summary>
    public static IReadOnlyList<ChartFile> Write(string outputDir, ResultAnalysis analysis)
    {
        var dir = Charts.Directory(outputDir);
        var charts = new List<ChartFile>();
        void Add(ChartFile? chart)
        {
            if (chart is not null)
            {
                charts.Add(chart);
            }
        }

        Add(LatencyVsIntraOp(dir, analysis));
        Add(ThroughputVsBatch(dir, analysis));
        foreach (var model in analysis.PrecisionPairs().Select(p => p.Fp32.Variant!.Model).Distinct())
        {
            Add(PrecisionBars(dir, analysis, model));
        }

        Add(LatencyDistribution(dir, analysis));
        Add(ThroughputVsStreams(dir, analysis));
        Add(StageBars(dir, analysis));
        return charts;
    }

    private static ChartFile? LatencyVsIntraOp(string dir, ResultAnalysis analysis)
    {
        var cases = analysis.Of(nameof(RealTimeBenchmarks)).ToList();
        if (cases.Count == 0)
        {
            return null;
        }

        const string title = "Real-time latency vs intra-op threads (batch 1)";
        var plot = Charts.New(title, "intra-op threads (0 = ONNX Runtime default: one per physical core, pinned)", "latency per request (ms)");
        var counts = cases.Select(c => c.Point.IntraOpThreads).Distinct().Order().ToArray();
        var index = 0;
        foreach (var variant in analysis.Variants)
        {
            var series = counts.Select(n => cases.FirstOrDefault(c => c.Variant == variant && c.Point.IntraOpThreads == n)).ToArray();
            var xs = Enumerable.Range(0, counts.Length).Where(i => series[i] is not null).Select(i => (double)i).ToArray();
            if (xs.Length == 0)
            {
                continue;
            }

            var color = Color(index++);
            var p50 = xs.Select(x => series[(int)x]!.P50Ms).ToArray();
            var p90 = xs.Select(x => series[(int)x]!.P90Ms).ToArray();
            var line = plot.Add.Scatter(xs, p50, color);
            line.LegendText = $"{variant} p50";
            line.LineWidth = 2;
            line.MarkerSize = 8;
            var tail = plot.Add.Scatter(xs, p90, color);
            tail.LegendText = $"{variant} p90";
            tail.LinePattern = LinePattern.Dashed;
            tail.MarkerSize = 5;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, counts.Length).Select(i => (double)i)],
            [.. counts.Select(n => n == 0 ? "0 (default)" : n.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsX(-0.3, counts.Length - 0.7);
        plot.Axes.SetLimitsY(0, cases.Max(c => c.P90Ms) * 1.1);
        return Save(plot, dir, "latency-vs-intra-threads.png", title);
    }

    private static ChartFile? ThroughputVsBatch(string dir, ResultAnalysis analysis)
    {
        var cases = analysis.Of(nameof(BatchThroughputBenchmarks)).ToList();
        if (cases.Count == 0)
        {
            return null;
        }

        const string title = "Throughput vs batch size (ORT default threads)";
        var plot = Charts.New(title, "batch size (images per request)", "throughput (images/s)");
        var batches = cases.Select(c => c.Point.Batch).Distinct().Order().ToArray();
        var index = 0;
        foreach (var variant in analysis.Variants)
        {
            var series = cases.Where(c => c.Variant == variant).OrderBy(c => c.Point.Batch).ToArray();
            if (series.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(
                series.Select(c => Math.Log2(c.Point.Batch)).ToArray(),
                series.Select(c => c.ImagesPerSecond).ToArray(),
                Color(index++));
            line.LegendText = variant.ToString();
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. batches.Select(b => Math.Log2(b))],
            [.. batches.Select(b => b.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsX(-0.3, Math.Log2(batches[^1]) + 0.3);
        plot.Axes.SetLimitsY(0, cases.Max(c => c.ImagesPerSecond) * 1.15);
        return Save(plot, dir, "throughput-vs-batch.png", title);
    }

    private static ChartFile? ThroughputVsStreams(string dir, ResultAnalysis analysis)
    {
        var cases = analysis.Of(nameof(StreamsBenchmarks)).ToList();
        if (cases.Count == 0)
        {
            return null;
        }

        const string title = "Throughput vs streams (requests in flight on one session, batch 1)";
        var plot = Charts.New(title, "streams (each with cores / streams intra-op threads, no spinning when > 1)", "throughput (images/s)");
        var streams = cases.Select(c => c.Point.Streams).Distinct().Order().ToArray();
        var index = 0;
        foreach (var variant in analysis.Variants)
        {
            var series = cases.Where(c => c.Variant == variant).OrderBy(c => c.Point.Streams).ToArray();
            if (series.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(series.Select(c => (double)c.Point.Streams).ToArray(), series.Select(c => c.ImagesPerSecond).ToArray(), Color(index++));
            line.LegendText = variant.ToString();
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. streams.Select(s => (double)s)],
            [.. streams.Select(s => s.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsX(streams[0] - 0.3, streams[^1] + 0.3);
        plot.Axes.SetLimitsY(0, cases.Max(c => c.ImagesPerSecond) * 1.15);
        return Save(plot, dir, "throughput-vs-streams.png", title);
    }

    private static ChartFile? PrecisionBars(string dir, ResultAnalysis analysis, string model)
    {
        // One bar pair per distinct way of running: the intra-op sweep, batch sizes above 1, several streams,
        // the single-core job and end to end (the inter-op sweep and repeated batch-1 points are in summary.md).
        var pairs = analysis.PrecisionPairs()
            .Where(p => p.Fp32.Variant!.Model == model && p.Fp32.Info.RunsModel && ShortLabel(p.Fp32) is not null)
            .OrderBy(p => ChartOrder(p.Fp32))
            .ToList();
        if (pairs.Count == 0)
        {
            return null;
        }

        var title = $"FP32 vs INT8: {model} (time per image, lower is better)";
        var plot = Charts.New(title, "measurement", "mean time per image (ms)");
        var fp32Color = Color(0);
        var int8Color = Color(1);
        var yMax = pairs.Max(p => Math.Max(p.Fp32.MsPerImage, p.Int8.MsPerImage)) * 1.3;
        var bars = new List<Bar>();
        var ticks = new List<(double Position, string Label)>();
        for (var i = 0; i < pairs.Count; i++)
        {
            var p = pairs[i];
            double center = i * 3;
            bars.Add(new Bar { Position = center - 0.5, Value = p.Fp32.MsPerImage, FillColor = fp32Color, Label = Md.N(p.Fp32.MsPerImage) });
            bars.Add(new Bar { Position = center + 0.5, Value = p.Int8.MsPerImage, FillColor = int8Color, Label = Md.N(p.Int8.MsPerImage) });
            ticks.Add((center, ShortLabel(p.Fp32)!));
            var top = Math.Max(p.Fp32.MsPerImage, p.Int8.MsPerImage);
            var text = plot.Add.Text($"{Md.Times(p.SpeedUp)}", center, top + (yMax * 0.07));
            text.LabelFontSize = 14;
            text.LabelBold = true;
            text.LabelAlignment = Alignment.LowerCenter;
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
        plot.Axes.Bottom.MinimumSize = 70;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "FP32", FillColor = fp32Color });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "INT8", FillColor = int8Color });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "bold: INT8 speed-up (FP32 time / INT8 time; below 1x INT8 is slower)" });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SetLimits(-1.5, (pairs.Count * 3) - 1.5, 0, yMax * 1.1);
        var slug = string.Concat(model.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '-'));
        return Save(plot, dir, $"fp32-vs-int8-{slug}.png", title, legend: false, width: Math.Max(Width, 110 * pairs.Count));
    }

    private static ChartFile? LatencyDistribution(string dir, ResultAnalysis analysis)
    {
        var best = analysis.Variants.Select(analysis.BestLatency).Where(c => c is { SamplesMs.Count: > 1 }).ToList();
        if (best.Count == 0)
        {
            return null;
        }

        const string title = "Per-request latency distribution (real-time, each model's best configuration)";
        var plot = Charts.New(title, "percentile of requests (%)", "latency per request (ms)");
        for (var i = 0; i < best.Count; i++)
        {
            var c = best[i]!;
            var sorted = c.SamplesMs.Order().ToArray();
            var xs = sorted.Select((_, k) => 100.0 * k / (sorted.Length - 1)).ToArray();
            var line = plot.Add.Scatter(xs, sorted, Color(i));
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{c.Variant} ({BenchmarkKinds.Kind(c.Benchmark)}, intra={c.Point.IntraOpThreads}{(c.Point.AffinityCores is { } a ? $", {a} core" : string.Empty)}; n={sorted.Length}, p50 {Md.N(c.P50Ms)}, p99 {Md.N(c.P99Ms)} ms)");
            line.LineWidth = 2;
            line.MarkerSize = 3;
        }

        foreach (var percentile in new[] { 50.0, 90.0, 99.0 })
        {
            plot.Add.VerticalLine(percentile, 1, Colors.Gray, LinePattern.Dotted);
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99],
            ["0", "10", "20", "30", "40", "p50", "60", "70", "80", "p90", "p99"]);

        plot.Axes.SetLimitsX(0, 100);
        plot.Axes.SetLimitsY(0, best.Max(c => c!.SamplesMs.Max()) * 1.05);
        return Save(plot, dir, "latency-distribution.png", title, Edge.Bottom);
    }

    private static ChartFile? StageBars(string dir, ResultAnalysis analysis)
    {
        var stages = analysis.Stages().Where(s => double.IsFinite(s.EndToEndMs)).ToList();
        if (stages.Count == 0)
        {
            return null;
        }

        const string title = "Where a request's time goes (real COCO JPEG to detections, batch 1)";
        var plot = Charts.New(title, "model", "mean time per image (ms)");
        string[] names = ["JPEG decode", "pre-process", "inference", "post-process", "end to end (measured in a row)"];
        var bars = new List<Bar>();
        for (var i = 0; i < stages.Count; i++)
        {
            var s = stages[i];
            double[] values = [s.DecodeMs, s.PreprocessMs, s.InferenceMs, s.PostprocessMs, s.EndToEndMs];
            for (var k = 0; k < values.Length; k++)
            {
                bars.Add(new Bar { Position = (i * 6) + k, Value = values[k], FillColor = Color(k), Label = Md.N(values[k]) });
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. stages.Select((_, i) => (i * 6) + 2.0)],
            [.. stages.Select(s => s.Variant.ToString())]);
        for (var k = 0; k < names.Length; k++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = names[k], FillColor = Color(k) });
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SetLimitsY(0, stages.Max(s => s.EndToEndMs) * 1.5);
        return Save(plot, dir, "end-to-end-stages.png", title, legend: false);
    }

    // The bar label of a case in the FP32 vs INT8 chart, or null for cases that chart leaves out.
    private static string? ShortLabel(CaseResult c)
    {
        var p = c.Point;
        return c.Benchmark switch
        {
            nameof(RealTimeBenchmarks) => p.IntraOpThreads == 0 ? "batch 1\nORT default" : $"batch 1\nintra={p.IntraOpThreads}",
            nameof(BatchThroughputBenchmarks) when p.Batch > 1 => $"batch {p.Batch}\nORT default",
            nameof(StreamsBenchmarks) when p.Streams > 1 => $"{p.Streams} streams\nintra={p.IntraOpThreads} each",
            nameof(SingleCoreBenchmarks) => "single core\n(pinned)",
            nameof(EndToEndBenchmarks) when c.Method == nameof(EndToEndBenchmarks.EndToEnd) => "end to end\n(JPEG in)",
            _ => null,
        };
    }

    private static int ChartOrder(CaseResult c) => c.Benchmark switch
    {
        nameof(RealTimeBenchmarks) => 0,
        nameof(SingleCoreBenchmarks) => 1,
        nameof(BatchThroughputBenchmarks) => 2,
        nameof(StreamsBenchmarks) => 3,
        _ => 4,
    };

    private static ChartFile Save(Plot plot, string dir, string fileName, string title, Edge legendAt = Edge.Right, bool legend = true, int width = Width) =>
        Charts.Save(plot, dir, fileName, title, width, Height, legend ? legendAt : null);

    private static ScottPlot.Color Color(int index) => Charts.Color(index);
}
