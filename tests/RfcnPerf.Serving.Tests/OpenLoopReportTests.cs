using System.Text.Json;
using RfcnPerf.Serving.Load;
using RfcnPerf.Testing;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// <c>load --rates</c>'s report: each sweep's JSON stays in the folder, and the table and chart are redrawn from all
/// of them, so two runs against a restarted server (batching off, then on) end up in one chart.
/// </summary>
public sealed class OpenLoopReportTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Two_sweeps_in_one_folder_share_the_table_and_the_chart()
    {
        OpenLoopReport.Add(dir.Path, "max-batch 1", [Point(5, 4.9, 40, 120), Point(20, 11, 900, 4000)], TextWriter.Null);
        OpenLoopReport.Add(dir.Path, "max-batch 8", [Point(5, 5, 45, 130), Point(20, 19.5, 120, 600)], TextWriter.Null);

        Assert.True(File.Exists(Path.Combine(dir.Path, "open-loop-max-batch-1.json")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "open-loop-max-batch-8.json")));
        var md = File.ReadAllText(Path.Combine(dir.Path, "open-loop.md"));
        Assert.Contains("| max-batch 1 | 20.0 | 11.0 | 900.00 | 4000.00 |", md, StringComparison.Ordinal);
        Assert.Contains("| max-batch 8 | 20.0 | 19.5 | 120.00 | 600.00 |", md, StringComparison.Ordinal);
        Assert.Contains("![p99 latency against offered rate](charts/open-loop-p99.png)", md, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(dir.Path, "charts", "open-loop-p99.png")).Length > 10_000);

        // The same label again replaces that sweep only.
        OpenLoopReport.Add(dir.Path, "max-batch 1", [Point(5, 5, 41, 110)], TextWriter.Null);
        md = File.ReadAllText(Path.Combine(dir.Path, "open-loop.md"));
        Assert.DoesNotContain("4000.00", md, StringComparison.Ordinal);
        Assert.Contains("600.00", md, StringComparison.Ordinal);
        using var kept = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "open-loop-max-batch-8.json")));
        Assert.Equal(2, kept.RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("max-batch 8", "max-batch-8")]
    [InlineData("a/b\\c:d", "a-b-c-d")]
    [InlineData("on_v1.2", "on_v1.2")]
    public void Labels_become_safe_file_names(string label, string expected) => Assert.Equal(expected, OpenLoopReport.FileName(label));

    private static LoadResult Point(double offered, double achieved, double p50, double p99) => new()
    {
        Protocol = "TfServingRest",
        Payload = "b64",
        Url = "http://127.0.0.1:8501/v1/models/rfcn",
        Batch = 1,
        Mode = "open",
        OfferedRate = offered,
        Sent = (int)(achieved * 10),
        Succeeded = (int)(achieved * 10),
        ErrorsByStatus = new Dictionary<string, int>(),
        WallSeconds = 10,
        MeanMs = p50,
        P50Ms = p50,
        P90Ms = p99,
        P99Ms = p99,
        P999Ms = p99,
        MaxMs = p99,
        ServerMemoryAfter = new ServerMemory(300L << 20, 40L << 20),
    };
}
