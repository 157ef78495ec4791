using System.Globalization;
using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Reporting;
using ScottPlot;

namespace RfcnPerf.Bench.Reporting;

/// <summary>
/// The roofline of a run: every inference case as a point (arithmetic intensity, achieved G ops/s) under the
/// machine's measured ceilings, log-log. Intensity = the model's operations per call over the bytes the call moves
/// by <see cref="RfcnPerf.Onnx.ComputeEstimate.Intensity"/>'s model (weights once per call, each activation written
/// once and read once per consumer, fused Q/DQ pairs as 8-bit tensors), so batching moves a model right (weights amortised); the memory roof is the
/// STREAM triad bandwidth of all cores, the compute roofs the FP32 FMA and INT8 dot-product peaks.
/// </summary>
internal static class RooflineChart
{
    public const string Method =
        "arithmetic intensity = model operations per call (2 per multiply-add, `rfcnperf model info`) / bytes moved per call, " +
        "estimated from shape inference as weights read once per call + every activation written once and read once per consumer " +
        "(no reuse between nodes, perfect reuse inside a node; Q/DQ pairs ONNX Runtime fuses into int8 kernels move 8-bit tensors and nothing of their own); ceilings: the measured FP32 and INT8 peaks of all cores and the STREAM triad bandwidth (`rfcnperf machine`)";

    public static ChartFile? Write(string dir, ResultAnalysis analysis)
    {
        var peaks = MachinePeak.InForce;

        // Unknown peaks (null) draw no roof; NaN is what the checks below skip.
        var triad = peaks.TriadGBps ?? double.NaN;
        var fp32 = peaks.Fp32Gflops ?? double.NaN;
        var int8 = peaks.Int8Gops ?? double.NaN;
        var points = analysis.Cases
            .Where(c => c.Success && c.Info.RunsModel && c.Variant is not null && double.IsFinite(c.AchievedGops) && c.Benchmark != nameof(EndToEndBenchmarks) && c.Benchmark != nameof(PipelinedThroughputBenchmarks))
            .Select(c => (Case: c, Intensity: ModelCompute.PerImage(c.Variant!).Estimate?.Intensity(c.Point.Batch)))
            .Where(p => p.Intensity is > 0)
            .ToList();
        if (points.Count == 0 || !double.IsFinite(triad) || triad <= 0)
        {
            return null;
        }

        const string title = "Roofline: achieved vs measured ceilings (log-log)";
        var plot = Charts.New(title, "arithmetic intensity (operations per byte moved, estimate)", "G operations per second");

        var xs = points.Select(p => p.Intensity!.Value).ToList();
        var minX = Math.Min(xs.Min(), 1) / 2;
        var maxX = Math.Max(xs.Max(), (double.IsFinite(int8) ? int8 : fp32) / triad) * 4;
        void Roof(double compute, string label, ScottPlot.Color color)
        {
            if (!double.IsFinite(compute) || compute <= 0)
            {
                return;
            }

            // min(bandwidth x intensity, compute), drawn through the ridge point.
            var ridge = compute / triad;
            double[] x = [Math.Log10(minX), Math.Log10(ridge), Math.Log10(maxX)];
            double[] y = [Math.Log10(triad * minX), Math.Log10(compute), Math.Log10(compute)];
            var line = plot.Add.ScatterLine(x, y, color);
            line.LineWidth = 2;
            line.LegendText = label;
        }

        Roof(fp32, string.Create(CultureInfo.InvariantCulture, $"FP32 roof {fp32:F0} GFLOP/s, memory {triad:F1} GB/s"), Colors.Black);
        Roof(int8, string.Create(CultureInfo.InvariantCulture, $"INT8 roof {int8:F0} GOP/s"), Colors.Gray);

        var index = 0;
        foreach (var group in points.GroupBy(p => p.Case.Variant!))
        {
            var scatter = plot.Add.ScatterPoints(
                group.Select(p => Math.Log10(p.Intensity!.Value)).ToArray(),
                group.Select(p => Math.Log10(p.Case.AchievedGops)).ToArray(),
                Charts.Color(index++));
            scatter.MarkerSize = 8;
            var best = group.MaxBy(p => p.Case.AchievedGops);
            scatter.LegendText = string.Create(CultureInfo.InvariantCulture, $"{group.Key}: best {best.Case.AchievedGops:F0} G ops/s at {best.Intensity:F0} op/B ({best.Case.Point.Describe()})");
        }

        // Log axes as log10 data with decade ticks labelled in plain numbers.
        Charts.LogTicks(plot.Axes.Bottom, minX, maxX);
        var (minY, maxY) = Charts.LogTicks(plot.Axes.Left,
            Math.Min(points.Min(p => p.Case.AchievedGops), triad * minX),
            Math.Max(fp32, double.IsFinite(int8) ? int8 : 0) * 1.5);
        plot.Axes.SetLimits(Math.Log10(minX), Math.Log10(maxX), minY, maxY);
        return Charts.Save(plot, dir, "roofline.png", title, 1000, 700, Edge.Bottom);
    }
}
