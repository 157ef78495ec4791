using RfcnPerf.Bench.Reporting;
using RfcnPerf.Reporting;
using RfcnPerf.Testing;
using ScottPlot;

namespace RfcnPerf.Bench.Tests;

public sealed class RooflineChartTests : IDisposable
{
    // FP32 roof 300 GFLOP/s, INT8 roof 700 GOP/s, memory 20 GB/s: ridges at 15 and 35 op/B.
    private static readonly RooflineCeilings Ceilings = new(300, "AVX-512 FMA vfmadd231ps zmm (register kernel)", 700, "ONNX Runtime MatMulInteger u8 x s8 256x2048x1024 per thread (MLAS QGEMM, AVX-512 VNNI vpdpbusd zmm)", 20);

    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(5, 50, false, null)] // memory roof 100: below
    [InlineData(5, 150, false, "Memory")] // memory roof 100: above
    [InlineData(50, 350, false, "Compute")] // FP32 roof 300: above
    [InlineData(50, 350, true, null)] // INT8 roof 700: below
    [InlineData(20, 500, true, "Memory")] // memory roof 400 binds before the INT8 roof
    [InlineData(100, 800, true, "Compute")]
    public void A_point_is_above_the_roof_that_binds_at_its_intensity(double intensity, double achieved, bool int8, string? expected) =>
        Assert.Equal(expected, Ceilings.Exceeded(new RooflinePoint("m", int8, intensity, achieved, "c"))?.ToString());

    [Fact]
    public void An_unknown_roof_bounds_nothing()
    {
        var point = new RooflinePoint("m INT8", true, 1000, 5000, "c"); // memory roof 20000: only the unknown INT8 roof could bind
        Assert.Null((Ceilings with { Int8Gops = null }).Exceeded(point));
        Assert.Equal(RooflineBound.Memory, (Ceilings with { Int8Gops = null }).Exceeded(point with { Intensity = 10 }));
        Assert.Null(RooflineChart.Render([point], Ceilings with { TriadGBps = null }));
    }

    /// <summary>
    /// Eight series with long configurations and two points above a roof (the charts of results/ had eight models): every
    /// series, roof and note has a legend entry, the legend fits the saved image in width and height, and every point
    /// above a roof is ringed with a note naming its series and the roof.
    /// </summary>
    [Fact]
    public void Every_series_is_named_in_a_legend_that_fits_and_points_above_a_roof_are_ringed_and_noted()
    {
        var points = new List<RooflinePoint>();
        string[] models = ["nanodet-m-416", "yolov8n", "yolov8s", "yolov8m"];
        foreach (var (model, m) in models.Select((model, m) => (model, m)))
        {
            foreach (var int8 in new[] { false, true })
            {
                var series = $"{model} {(int8 ? "INT8" : "FP32")}";
                for (var k = 0; k < 3; k++)
                {
                    var intensity = (4.0 + (10 * m)) * (int8 ? 3 : 1);
                    points.Add(new RooflinePoint(series, int8, intensity, 20.0 * (k + 1), $"batch sweep: batch {k + 1}, intra=0 (ORT default), sequential, with a long description"));
                }
            }
        }

        points.Add(new RooflinePoint("yolov8n INT8", true, 10, 450, "memory: above"));
        points.Add(new RooflinePoint("yolov8m INT8", true, 100, 800, "compute: above"));

        var notes = RooflineChart.Notes(points, Ceilings);
        Assert.Equal(2, notes.Count);
        Assert.Contains("yolov8n INT8: above the memory roof; its intensity estimate is a lower bound", notes[0].Note, StringComparison.Ordinal);
        Assert.Contains("yolov8m INT8: above the INT8 roof", notes[1].Note, StringComparison.Ordinal);

        using var plot = RooflineChart.Render(points, Ceilings)!;
        RooflineChart.Save(plot, Charts.Directory(dir.Path));
        Assert.True(File.Exists(Path.Combine(dir.Path, Charts.Folder, RooflineChart.FileName)));
        AssertEverySeriesNoted(plot, points, Ceilings);
    }

    /// <summary>
    /// The chart's own check, usable on any roofline: every series, both roofs and one note per series above a roof
    /// are legend entries; the ringed points are exactly those above a roof; the last render kept the legend panel
    /// inside the image (ScottPlot cut a bottom legend whose panel it sized for a wider image).
    /// </summary>
    internal static void AssertEverySeriesNoted(Plot plot, IReadOnlyList<RooflinePoint> points, RooflineCeilings ceilings)
    {
        var legend = plot.Legend.GetItems().Select(i => i.LabelText).ToList();
        foreach (var series in points.Select(p => p.Series).Distinct())
        {
            Assert.Single(legend, l => l.StartsWith(series + ": best ", StringComparison.Ordinal));
        }

        Assert.Contains(legend, l => l.StartsWith("FP32 roof ", StringComparison.Ordinal));
        Assert.Contains(legend, l => l.StartsWith("INT8 roof ", StringComparison.Ordinal));
        var above = points.Where(p => ceilings.Exceeded(p) is not null).ToList();
        foreach (var group in above.GroupBy(p => (p.Series, Bound: ceilings.Exceeded(p))))
        {
            var roof = group.Key.Bound == RooflineBound.Memory ? "memory" : group.First().Int8 ? "INT8" : "FP32";
            Assert.Single(legend, l => l.StartsWith($"ringed, {group.Key.Series}: above the {roof} roof", StringComparison.Ordinal));
        }

        var rings = plot.GetPlottables<ScottPlot.Plottables.Scatter>().Where(s => s.MarkerShape == MarkerShape.OpenCircle).ToList();
        Assert.Equal(above.Count, rings.Sum(r => r.Data.GetScatterPoints().Count));

        // Every scatter (series, roof, ring) is named; nothing is drawn without a legend entry.
        Assert.All(plot.GetPlottables<ScottPlot.Plottables.Scatter>(), s => Assert.False(string.IsNullOrEmpty(s.LegendText)));

        var layout = plot.RenderManager.LastRender.Layout;
        var figure = layout.FigureRect;
        using var legendImage = plot.Legend.GetImage();
        Assert.True(legendImage.Width <= figure.Width, $"legend {legendImage.Width} px wide in a {figure.Width} px image");
        var legendPanel = Assert.Single(layout.PanelSizes, p => p.Key is ScottPlot.Panels.LegendPanel);
        Assert.True(legendPanel.Value >= legendImage.Height - 1, $"the legend needs {legendImage.Height} px, its panel got {legendPanel.Value} px");
        foreach (var (panel, size) in layout.PanelSizes)
        {
            if (panel.Edge == Edge.Bottom)
            {
                var bottom = layout.DataRect.Bottom + layout.PanelOffsets[panel] + size;
                Assert.True(bottom <= figure.Bottom + 1, $"{panel.GetType().Name} ends at {bottom} px, below the {figure.Bottom} px image");
            }
        }

        Assert.True(layout.DataRect.Height >= 300, $"the data area shrank to {layout.DataRect.Height} px");
    }

    [Fact]
    public void The_ceilings_read_back_from_a_summary_of_this_version_and_of_the_reference_runs()
    {
        const string current = """
            | Peak | 451 GFLOP/s FP32, 1253 GOP/s INT8, all cores; source: measured by `rfcnperf machine` on this machine (2026-12-06 05:56 UTC; FP32: AVX-512 FMA vfmadd231ps zmm (register kernel); INT8: ONNX Runtime MatMulInteger u8 x s8 256x2048x1024 per thread (MLAS QGEMM, AVX-512 VNNI vpdpbusd zmm); STREAM triad; load average then 1.00 / 1.00 / 1.00) |
            | Memory bandwidth | 57.3 GB/s all cores, 35.0 GB/s one core (STREAM triad) |
            """;
        Assert.Equal(
            new RooflineCeilings(451, "AVX-512 FMA vfmadd231ps zmm (register kernel)", 1253, "ONNX Runtime MatMulInteger u8 x s8 256x2048x1024 per thread (MLAS QGEMM, AVX-512 VNNI vpdpbusd zmm)", 57.3),
            RooflineCeilings.FromSummary(current));

        // results/reference/summary.md, 2026-11-30.
        const string reference = """
            | Peak | 328 GFLOP/s FP32, 709 GOP/s INT8, all cores; source: measured by `rfcnperf machine` on this machine (2026-11-30 13:54 UTC, AVX-512 FMA (vfmadd231ps zmm) / AVX-VNNI (vpdpbusd ymm), STREAM triad; load average then 3.05 / 4.06 / 8.85) |
            | Memory bandwidth | 23.8 GB/s all cores, 13.2 GB/s one core (STREAM triad) |
            """;
        Assert.Equal(new RooflineCeilings(328, "AVX-512 FMA (vfmadd231ps zmm)", 709, "AVX-VNNI (vpdpbusd ymm)", 23.8), RooflineCeilings.FromSummary(reference));

        const string unknown = """
            | Peak | 451 GFLOP/s FP32, n/a GOP/s INT8, all cores; source: measured by `rfcnperf machine` on this machine (2026-12-06 05:56 UTC; FP32: AVX-512 FMA vfmadd231ps zmm (register kernel); INT8: not measured; STREAM triad; load average then unknown) |
            | Memory bandwidth | 57.3 GB/s all cores, n/a GB/s one core (STREAM triad) |
            """;
        Assert.Equal(new RooflineCeilings(451, "AVX-512 FMA vfmadd231ps zmm (register kernel)", null, null, 57.3), RooflineCeilings.FromSummary(unknown));
        Assert.Null(RooflineCeilings.FromSummary("| CPU | x |"));
    }

    /// <summary>CSV rows become points: end-to-end classes and rows without a rate or a known variant are left out; batch sets the intensity.</summary>
    [Fact]
    public void Points_come_from_the_csv_reports_of_the_sweep_classes()
    {
        var batch = Path.Combine(dir.Path, "batch.csv");
        File.WriteAllLines(batch,
        [
            "Method,Job,WarmupCount,Variant,Batch,Mean,GFLOP/s,% peak",
            "Run,throughput,5,yolov8n FP32,1,40 ms,220,67.1",
            "Run,throughput,5,yolov8n FP32,8,300 ms,\"1,234.5\",70.9",
            "Run,throughput,5,yolov8n INT8,1,25 ms,n/a,n/a",
            "Run,throughput,5,mine FP32,1,25 ms,100,10",
        ]);
        var endToEnd = Path.Combine(dir.Path, "e2e.csv");
        File.WriteAllLines(endToEnd, ["Method,Job,WarmupCount,Variant,Mean,GFLOP/s", "EndToEnd,real-time,5,yolov8n FP32,50 ms,150"]);

        var points = RooflineFromResults.Points(
            [("BatchThroughputBenchmarks", RooflineFromResults.ReadCsv(batch)), ("EndToEndBenchmarks", RooflineFromResults.ReadCsv(endToEnd))],
            name => name.StartsWith("yolov8n ", StringComparison.Ordinal) ? b => 10.0 * b : null);

        Assert.Equal(
            [new RooflinePoint("yolov8n FP32", false, 10, 220, "BatchThroughput: Batch 1"), new RooflinePoint("yolov8n FP32", false, 80, 1234.5, "BatchThroughput: Batch 8")],
            points);
    }
}
