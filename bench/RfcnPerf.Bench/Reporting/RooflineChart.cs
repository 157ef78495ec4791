using System.Globalization;
using RfcnPerf.Bench.Benchmarks;
using RfcnPerf.Reporting;
using ScottPlot;

namespace RfcnPerf.Bench.Reporting;

/// <summary>
/// The roofline of a run: every inference case as a point (arithmetic intensity, achieved G ops/s) under the
/// machine's measured ceilings, log-log. Intensity = the model's operations per call over the bytes the call moves
/// by <see cref="RfcnPerf.Onnx.ComputeEstimate.Intensity"/>'s model (weights once per call, each activation written
/// once and read once per consumer, fused Q/DQ pairs as 8-bit tensors), so batching moves a model right (weights
/// amortised); the memory roof is the STREAM triad bandwidth of all cores, the compute roofs the FP32 and INT8 peaks
/// with the kernels that set them. Every series is named in the legend, and a point above a roof is ringed with a
/// legend note saying why the chart cannot be taken literally there (<see cref="Notes"/>).
/// </summary>
internal static class RooflineChart
{
    public const string FileName = "roofline.png";

    public const string Title = "Roofline: achieved vs measured ceilings (log-log)";

    public const string Method =
        "arithmetic intensity = model operations per call (2 per multiply-add, `rfcnperf model info`) / bytes moved per call, " +
        "estimated from shape inference as weights read once per call + every activation written once and read once per consumer " +
        "(no reuse between nodes, perfect reuse inside a node; Q/DQ pairs ONNX Runtime fuses into int8 kernels move 8-bit tensors and nothing of their own); " +
        "ceilings: the measured FP32 and INT8 peaks of all cores (each named with its kernel) and the STREAM triad bandwidth (`rfcnperf machine`); " +
        "a point above a roof is ringed and the legend says why";

    private const int Width = 1000;
    private const int Height = 700;

    public static ChartFile? Write(string dir, ResultAnalysis analysis)
    {
        using var plot = Render(Points(analysis), RooflineCeilings.From(MachinePeak.InForce));
        return plot is null ? null : Save(plot, dir);
    }

    /// <summary>The inference cases of a run that have an achieved rate and an intensity estimate.</summary>
    internal static IReadOnlyList<RooflinePoint> Points(ResultAnalysis analysis) =>
    [
        .. analysis.Cases
            .Where(c => c.Success && c.Info.RunsModel && c.Variant is not null && double.IsFinite(c.AchievedGops) && c.Benchmark != nameof(EndToEndBenchmarks) && c.Benchmark != nameof(PipelinedThroughputBenchmarks))
            .Select(c => (Case: c, Intensity: ModelCompute.PerImage(c.Variant!).Estimate?.Intensity(c.Point.Batch)))
            .Where(p => p.Intensity is > 0)
            .Select(p => new RooflinePoint(p.Case.Variant!.ToString(), p.Case.Variant!.IsInt8, p.Intensity!.Value, p.Case.AchievedGops, p.Case.Point.Describe())),
    ];

    /// <summary>Saves a plot from <see cref="Render"/> as <see cref="FileName"/> in <paramref name="dir"/>.</summary>
    internal static ChartFile Save(Plot plot, string dir) => Charts.Save(plot, dir, FileName, Title, Width, Height, Edge.Bottom);

    /// <summary>
    /// The chart of <paramref name="points"/> under <paramref name="ceilings"/>, or null when there is nothing to draw
    /// (no point, or no memory bandwidth to draw the roofs from). The caller saves and disposes it.
    /// </summary>
    internal static Plot? Render(IReadOnlyList<RooflinePoint> points, RooflineCeilings ceilings)
    {
        if (points.Count == 0 || ceilings.TriadGBps is not (> 0 and var bandwidth) || !double.IsFinite(bandwidth))
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var plot = Charts.New(Title, "arithmetic intensity (operations per byte moved, estimate)", "G operations per second");
        var highestRoof = Math.Max(ceilings.Fp32Gflops ?? 0, ceilings.Int8Gops ?? 0);
        var minX = Math.Min(points.Min(p => p.Intensity), 1) / 2;
        var maxX = Math.Max(points.Max(p => p.Intensity), (highestRoof > 0 ? highestRoof : points.Max(p => p.AchievedGops)) / bandwidth) * 4;
        void Roof(double? compute, string label, ScottPlot.Color color)
        {
            if (compute is not (> 0 and var c) || !double.IsFinite(c))
            {
                return;
            }

            // min(bandwidth x intensity, compute), drawn through the ridge point.
            var ridge = c / bandwidth;
            double[] x = [Math.Log10(minX), Math.Log10(ridge), Math.Log10(maxX)];
            double[] y = [Math.Log10(bandwidth * minX), Math.Log10(c), Math.Log10(c)];
            var line = plot.Add.ScatterLine(x, y, color);
            line.LineWidth = 2;
            line.LegendText = label;
        }

        Roof(ceilings.Fp32Gflops, string.Create(inv, $"FP32 roof {ceilings.Fp32Gflops:F0} GFLOP/s ({ceilings.Fp32Kernel ?? "kernel not recorded"}), memory {bandwidth:F1} GB/s"), Colors.Black);
        Roof(ceilings.Int8Gops, string.Create(inv, $"INT8 roof {ceilings.Int8Gops:F0} GOP/s ({ceilings.Int8Kernel ?? "kernel not recorded"})"), Colors.Gray);

        var index = 0;
        foreach (var group in points.GroupBy(p => p.Series))
        {
            var scatter = plot.Add.ScatterPoints(
                group.Select(p => Math.Log10(p.Intensity)).ToArray(),
                group.Select(p => Math.Log10(p.AchievedGops)).ToArray(),
                Charts.Color(index++));
            scatter.MarkerSize = 8;
            var best = group.MaxBy(p => p.AchievedGops)!;
            var above = group.Count(p => ceilings.Exceeded(p) is not null);
            scatter.LegendText = string.Create(inv, $"{group.Key}: best {best.AchievedGops:F0} G ops/s at {best.Intensity:F0} op/B ({best.Configuration}){(above > 0 ? $"; {above} of {group.Count()} ringed" : string.Empty)}");
        }

        // Points above a roof: ringed, and one legend note per series and roof saying why.
        foreach (var (note, ringed) in Notes(points, ceilings))
        {
            var rings = plot.Add.ScatterPoints(ringed.Select(p => Math.Log10(p.Intensity)).ToArray(), ringed.Select(p => Math.Log10(p.AchievedGops)).ToArray(), Colors.Black);
            rings.MarkerShape = MarkerShape.OpenCircle;
            rings.MarkerSize = 16;
            rings.LegendText = note;
        }

        // Log axes as log10 data with decade ticks labelled in plain numbers.
        Charts.LogTicks(plot.Axes.Bottom, minX, maxX);
        var (minY, maxY) = Charts.LogTicks(plot.Axes.Left,
            Math.Min(points.Min(p => p.AchievedGops), bandwidth * minX),
            Math.Max(highestRoof, points.Max(p => p.AchievedGops)) * 1.5);
        plot.Axes.SetLimits(Math.Log10(minX), Math.Log10(maxX), minY, maxY);
        return plot;
    }

    /// <summary>
    /// The legend notes of the points above a roof, one per series and roof, with the points they ring. Above the
    /// memory roof the traffic estimate is to blame (it sends every activation to memory; what ONNX Runtime keeps in
    /// cache between nodes never goes there, so for that case the intensity is a lower bound and the true point lies
    /// further right); above a compute roof the peak is (ONNX Runtime ran faster than the kernel that measured it).
    /// </summary>
    internal static IReadOnlyList<(string Note, IReadOnlyList<RooflinePoint> Points)> Notes(IReadOnlyList<RooflinePoint> points, RooflineCeilings ceilings) =>
    [
        .. points
            .Select(p => (Point: p, Bound: ceilings.Exceeded(p)))
            .Where(p => p.Bound is not null)
            .GroupBy(p => (p.Point.Series, p.Point.Int8, Bound: p.Bound!.Value))
            .Select(g => (g.Key.Bound == RooflineBound.Memory
                    ? $"ringed, {g.Key.Series}: above the memory roof; its intensity estimate is a lower bound (activations kept in cache count as memory traffic)"
                    : $"ringed, {g.Key.Series}: above the {(g.Key.Int8 ? "INT8" : "FP32")} roof; ONNX Runtime ran faster than the kernel that measured that peak",
                (IReadOnlyList<RooflinePoint>)[.. g.Select(p => p.Point)])),
    ];
}
