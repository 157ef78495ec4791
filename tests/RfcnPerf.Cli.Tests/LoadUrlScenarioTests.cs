using System.Text.Json;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Serving;
using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// <c>rfcnperf load --scenario ... --url</c> against a server on loopback serving yolov8n under two names: accuracy
/// mode reads the detections back from each protocol's answers and scores them to the in-process figure bit for
/// bit; a server's errors fail the run in one line naming how many and the first reason; <c>--url</c> repeats, one
/// run per served model, side by side as two <c>--model</c>s are.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LoadUrlScenarioTests : IAsyncLifetime
{
    /// <summary>The in-process accuracy run every --url run is compared with, made once for the class's cases.</summary>
    private static readonly Lazy<(double[] Stats, byte[] Results, int Images)> InProcessAccuracy = new(RunInProcessAccuracy);

    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-load-url-").FullName;
    private ModelServer server = null!;

    private static string Images => Path.Combine(TestPaths.BundledSample, "val2017");

    public async Task InitializeAsync()
    {
        var modelPath = AssetStore.FromEnvironment().Resolve(ModelCatalog.Find("yolov8n")!);
        var options = new ServingOptions { RestPort = 0, GrpcPort = 0 };
        var metrics = new ServingMetrics();
        server = await ModelServer.StartAsync(options,
            [ServedModel.Open("yolov8n", modelPath, new SessionSettings(), options, metrics), ServedModel.Open("yolov8n-b", modelPath, new SessionSettings(), options, metrics)], metrics);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("tfserving-rest", "/v1/models/yolov8n", "single-stream")]
    [InlineData("tfserving-grpc", "/yolov8n", "offline")]
    [InlineData("kserve", "/v2/models/yolov8n", "multi-stream")]
    public void Accuracy_through_the_server_equals_the_in_process_figure_bit_for_bit(string protocol, string path, string scenario)
    {
        var expected = InProcessAccuracy.Value;
        var outDir = Path.Combine(dir, protocol);

        var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", scenario, "--mode", "accuracy", "--url", Url(protocol, path), "--protocol", protocol,
            "--coco", TestPaths.BundledSample, "--out-dir", outDir);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains($"accuracy mode: {expected.Images} of {expected.Images} images once each", stdout, StringComparison.Ordinal);
        using var ours = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, $"{scenario}-server-accuracy-summary.json")));
        double[] got = [.. ours.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(expected.Stats.Select(BitConverter.DoubleToInt64Bits), got.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal($"{protocol} {Url(protocol, path)}", ours.RootElement.GetProperty("sut").GetString());

        // Not only the same 12 numbers: the same detections, so the same results file byte for byte.
        Assert.Equal(expected.Results, File.ReadAllBytes(Path.Combine(outDir, $"{scenario}-server-accuracy-results.json")));
    }

    [Theory]
    [InlineData("/v1/models/nope", "404: Servable not found for request")]
    [InlineData("dead-port", "connection-error")]
    public void A_server_that_answers_errors_fails_accuracy_mode_in_one_line_naming_how_many_and_why(string path, string reason)
    {
        var url = path == "dead-port" ? $"http://127.0.0.1:{FreePort()}/v1/models/yolov8n" : Url("tfserving-rest", path);
        var annotated = AnnotatedImages();

        var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", "offline", "--mode", "accuracy", "--url", url, "--coco", TestPaths.BundledSample, "--out-dir", dir);

        Assert.True(exit == 2, stdout + stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains($"tfserving-rest {url}: {annotated} of {annotated} samples got no usable answer in accuracy mode", stderr, StringComparison.Ordinal);
        Assert.Matches(@"\(first: \S+\.jpg: " + System.Text.RegularExpressions.Regex.Escape(reason), stderr);
        Assert.Contains("no accuracy figure from an incomplete set", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, "*accuracy-results.json"));
    }

    [Fact]
    public void Several_urls_run_in_turn_and_read_side_by_side()
    {
        var (a, b) = (Url("tfserving-rest", "/v1/models/yolov8n"), Url("tfserving-rest", "/v1/models/yolov8n-b"));

        var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", "single-stream", "--url", a, "--url", b, "--images", Images,
            "--min-duration", "0", "--min-queries", "5", "--performance-sample-count", "4", "--out-dir", dir);

        // Five queries are too few for early stopping (64 at p90): INVALID, each run's summary written and the table printed.
        Assert.True(exit == 1, stdout + stderr);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(stdout, "Result is : INVALID").Count);
        Assert.Contains($"| | {a} | {b} |", stdout, StringComparison.Ordinal);
        Assert.Contains("| result | INVALID | INVALID |", stdout, StringComparison.Ordinal);
        Assert.Contains($"latency ratio {b} / {a} (sample latency): ", stdout, StringComparison.Ordinal);
        foreach (var name in new[] { "server-yolov8n", "server-yolov8n-b" })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, $"single-stream-{name}-summary.json")));
            Assert.Equal(5, json.RootElement.GetProperty("query_count").GetInt64());
        }
    }

    [Fact]
    public void Find_peak_over_several_urls_searches_each_and_puts_the_peaks_side_by_side()
    {
        var (a, b) = (Url("tfserving-rest", "/v1/models/yolov8n"), Url("tfserving-rest", "/v1/models/yolov8n-b"));

        // A 1 ms bound no CPU detector meets: each search stops at its first probe, deterministically.
        var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", "server", "--find-peak", "--url", a, "--url", b, "--images", Images,
            "--target-qps", "2", "--target-latency-ms", "1", "--min-duration", "0", "--min-queries", "4", "--performance-sample-count", "4", "--out-dir", dir);

        Assert.True(exit == 1, stdout + stderr);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(stdout, @"probe  1 \(the given QPS\): 2\.000 QPS -> 99\.0th \S+ ms, \d+/\d+ over 1\.000 ms, bound NOT met").Count);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(stdout, "the starting QPS does not meet the latency bound; start lower").Count);
        Assert.Contains($"| | {a} | {b} |", stdout, StringComparison.Ordinal);
        Assert.Contains("| peak QPS (LoadGen: bound only) | none | none |", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "server-server-yolov8n-find-peak.json")));
        Assert.True(File.Exists(Path.Combine(dir, "server-server-yolov8n-b-find-peak.json")));
    }

    [Theory]
    [InlineData("load", "--url", "http://127.0.0.1:1/v1/models/a", "--url", "http://127.0.0.1:1/v1/models/b", "--requests", "1", "--url is given 2 times; only --scenario runs several served models")]
    [InlineData("load", "--scenario", "single-stream", "--mode", "accuracy", "--url", "http://127.0.0.1:1/v1/models/a", "--images", "IMAGES", "--mode accuracy maps each image to its COCO id through the annotation file")]
    public void User_errors_are_one_line_and_exit_2(params string[] argsAndMessage)
    {
        var (exit, _, stderr) = CliRunner.Run([.. argsAndMessage[..^1].Select(a => a == "IMAGES" ? Images : a)]);
        Assert.Equal(2, exit);
        Assert.Contains(argsAndMessage[^1], stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    private static (double[] Stats, byte[] Results, int Images) RunInProcessAccuracy()
    {
        var outDir = Directory.CreateTempSubdirectory("rfcnperf-load-url-inprocess-").FullName;
        try
        {
            var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", "single-stream", "--mode", "accuracy", "--model", "yolov8n", "--coco", TestPaths.BundledSample, "--out-dir", outDir);
            Assert.True(exit == 0, stdout + stderr);
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "single-stream-yolov8n-accuracy-summary.json")));
            double[] stats = [.. summary.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())];

            // A detector that finds nothing would score the same through both paths; yolov8n on these images finds plenty.
            Assert.InRange(stats[0], 0.2, 0.9);
            return (stats, File.ReadAllBytes(Path.Combine(outDir, "single-stream-yolov8n-accuracy-results.json")), summary.RootElement.GetProperty("images").GetInt32());
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static int AnnotatedImages()
    {
        using var gt = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.BundledSample, "annotations", "instances_val2017.json")));
        return gt.RootElement.GetProperty("images").GetArrayLength();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private string Url(string protocol, string path) => $"http://127.0.0.1:{(protocol == "tfserving-grpc" ? server.GrpcPort : server.RestPort)}{path}";
}
