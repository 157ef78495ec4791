using System.Net.Http.Json;
using System.Text.Json;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Serving;
using RfcnPerf.Testing;
using SkiaSharp;

namespace RfcnPerf.Cli.Tests;

/// <summary>
/// The server answers what <c>rfcnperf detect</c> writes for the same image, and <c>rfcnperf load</c> measures
/// it; both on loopback with ephemeral ports.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeAndLoadCommandTests : IAsyncLifetime
{
    /// <summary>Boxes travel normalised (divided by the image size as float) and come back multiplied: a few float ulps of a pixel.</summary>
    private const float PixelTolerance = 1e-3f;

    private readonly string dir = Directory.CreateTempSubdirectory("rfcnperf-serve-cli-").FullName;
    private readonly string modelPath = AssetStore.FromEnvironment().Resolve(ModelCatalog.Find("yolov8n")!);
    private ModelServer server = null!;
    private string imageDir = null!;

    public async Task InitializeAsync()
    {
        imageDir = Directory.CreateDirectory(Path.Combine(dir, "images")).FullName;
        var coco = Directory.Exists(TestPaths.CocoImages) ? Directory.EnumerateFiles(TestPaths.CocoImages, "*.jpg").Order(StringComparer.Ordinal).FirstOrDefault() : null;
        if (coco is not null)
        {
            File.Copy(coco, Path.Combine(imageDir, Path.GetFileName(coco)));
        }
        else
        {
            DrawJpeg(Path.Combine(imageDir, "000000000001.jpg"));
        }

        var options = new ServingOptions { RestPort = 0, GrpcPort = 0 };
        var metrics = new ServingMetrics();
        server = await ModelServer.StartAsync(options, [ServedModel.Open("rfcn", modelPath, new SessionSettings(), options, metrics)], metrics);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Served_detections_equal_rfcnperf_detect()
    {
        var resultsPath = Path.Combine(dir, "dets.json");
        var (exit, _, stderr) = CliRunner.Run("detect", "--model", modelPath, "--images", imageDir, "--out", resultsPath);
        Assert.True(exit == 0, stderr);
        using var detect = JsonDocument.Parse(File.ReadAllText(resultsPath));
        var expected = detect.RootElement.EnumerateArray().ToArray();
        Assert.NotEmpty(expected);

        var file = Directory.GetFiles(imageDir).Single();
        using var bitmap = SKBitmap.Decode(file);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.RestPort}") };
        using var response = await http.PostAsJsonAsync("/v1/models/rfcn:predict", new { instances = new[] { new { b64 = Convert.ToBase64String(File.ReadAllBytes(file)) } } });
        response.EnsureSuccessStatusCode();
        using var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var prediction = served.RootElement.GetProperty("predictions")[0];
        Assert.Equal(expected.Length, (int)prediction.GetProperty("num_detections").GetSingle());
        for (var i = 0; i < expected.Length; i++)
        {
            var box = prediction.GetProperty("detection_boxes")[i].EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var bbox = expected[i].GetProperty("bbox").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(expected[i].GetProperty("category_id").GetInt32(), (int)prediction.GetProperty("detection_classes")[i].GetSingle());
            Assert.Equal(expected[i].GetProperty("score").GetSingle(), prediction.GetProperty("detection_scores")[i].GetSingle());
            Assert.Equal(bbox[0], box[1] * bitmap.Width, PixelTolerance);
            Assert.Equal(bbox[1], box[0] * bitmap.Height, PixelTolerance);
            Assert.Equal(bbox[0] + bbox[2], box[3] * bitmap.Width, PixelTolerance);
            Assert.Equal(bbox[1] + bbox[3], box[2] * bitmap.Height, PixelTolerance);
        }
    }

    [Theory]
    [InlineData("tfserving-rest", "/v1/models/rfcn", "raw")]
    [InlineData("tfserving-grpc", "/rfcn", "b64")]
    [InlineData("kserve", "/v2/models/rfcn", "b64")]
    public void Load_measures_the_server_and_writes_json(string protocol, string path, string payload)
    {
        var port = protocol == "tfserving-grpc" ? server.GrpcPort : server.RestPort;
        var json = Path.Combine(dir, protocol + ".json");
        var (exit, stdout, stderr) = CliRunner.Run("load", "--url", $"http://127.0.0.1:{port}{path}", "--protocol", protocol, "--payload", payload,
            "--images", imageDir, "--requests", "3", "--warmup", "1", "--concurrency", "2", "--json", json);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Latency at batch 1", stdout, StringComparison.Ordinal);
        Assert.Contains("errors: none", stdout, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(3, doc.RootElement.GetProperty("Succeeded").GetInt32());
        Assert.True(doc.RootElement.GetProperty("P50Ms").GetDouble() > 0);

        // The server's RSS from its /metrics (on the REST port, found from the URL); gRPC's port has none.
        if (protocol == "tfserving-grpc")
        {
            Assert.Contains("server memory: not known", stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("server memory: RSS ", stdout, StringComparison.Ordinal);
            var before = doc.RootElement.GetProperty("ServerMemoryBefore").GetProperty("ResidentBytes").GetInt64();
            var after = doc.RootElement.GetProperty("ServerMemoryAfter").GetProperty("ResidentBytes").GetInt64();
            Assert.InRange(before, 10L << 20, 64L << 30);
            Assert.InRange(after, 10L << 20, 64L << 30);
        }
    }

    [Theory]
    [InlineData("tfserving-rest", "/v1/models/rfcn")]
    [InlineData("tfserving-grpc", "/rfcn")]
    [InlineData("kserve", "/v2/models/rfcn")]
    public void Server_scenario_against_the_server_meets_the_bound_but_not_early_stopping(string protocol, string path)
    {
        var outDir = Path.Combine(dir, "scenario-" + protocol);
        var port = protocol == "tfserving-grpc" ? server.GrpcPort : server.RestPort;
        var (exit, stdout, stderr) = CliRunner.Run("load", "--scenario", "server", "--url", $"http://127.0.0.1:{port}{path}", "--protocol", protocol, "--images", imageDir,
            "--target-qps", "4", "--target-latency-ms", "20000", "--min-duration", "1", "--min-queries", "6", "--out-dir", outDir);
        Assert.True(exit == 1, stdout + stderr);
        Assert.Contains("  Performance constraints satisfied : Yes", stdout, StringComparison.Ordinal);
        Assert.Contains("  Early stopping satisfied: NO", stdout, StringComparison.Ordinal);
        Assert.Contains("Not sent : 0   Failed : 0   Unfinished : 0", stdout, StringComparison.Ordinal);
        Assert.Matches(@"early stopping: \d+ queries, 459 needed at the 99.0th percentile with 0 over the bound", stdout);
        Assert.Single(Directory.GetFiles(outDir, "server-*-summary.json"));
    }

    [Fact]
    public void Load_counts_errors_by_status()
    {
        var (exit, stdout, _) = CliRunner.Run("load", "--url", $"http://127.0.0.1:{server.RestPort}/v1/models/nope", "--images", imageDir, "--requests", "2", "--warmup", "0");
        Assert.Equal(1, exit);
        Assert.Contains("errors: 404 x2", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_stops_when_the_server_is_gone_instead_of_retrying_until_the_duration_ends()
    {
        // A port nobody listens on: every request is refused at once.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, stdout, _) = CliRunner.Run("load", "--url", $"http://127.0.0.1:{port}/v1/models/rfcn", "--images", imageDir,
            "--concurrency", "4", "--duration", "120", "--warmup", "0", "--metrics-url", "none");

        Assert.Equal(1, exit);
        Assert.Contains("connection errors in a row (the server is not answering)", stdout, StringComparison.Ordinal);
        Assert.Matches(@"connection-error\S* x\d+", stdout);
        var sent = int.Parse(System.Text.RegularExpressions.Regex.Match(stdout, @"(\d+) requests in ").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // The run ends at the 100th refusal in a row. Each of the 3 other clients then has at most one more request:
        // one in flight, or one it starts having checked the count just before the 100th refusal was recorded.
        // Retrying until --duration ends would be hundreds of thousands.
        Assert.InRange(sent, 100, 100 + 3);
    }

    [Theory]
    [InlineData("serve", "--max-batch", "0", "--max-batch must be at least 1, got 0")]
    [InlineData("serve", "--max-queue", "1", "--max-batch", "4", "--max-queue must be at least --max-batch (4), got 1")]
    [InlineData("serve", "--max-pixels", "0", "--max-pixels must be 1..67108864, got 0")]
    [InlineData("serve", "--max-pixels", "100000000000", "--max-pixels must be 1..67108864, got 100000000000")]
    [InlineData("load", "--url", "ftp://x", "--url must be an absolute http URL")]
    [InlineData("load", "--url", "http://127.0.0.1:1/v1/models/x", "--protocol", "soap", "--protocol must be tfserving-rest, tfserving-grpc or kserve")]
    public void User_errors_are_one_line_and_exit_2(params string[] argsAndMessage)
    {
        var (exit, _, stderr) = CliRunner.Run(argsAndMessage[..^1]);
        Assert.Equal(2, exit);
        Assert.Contains(argsAndMessage[^1], stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    internal static void DrawJpeg(string path)
    {
        using var bitmap = new SKBitmap(640, 480);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(180, 190, 200));
            using var paint = new SKPaint { Color = new SKColor(40, 60, 160) };
            canvas.DrawRect(200, 120, 160, 300, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        File.WriteAllBytes(path, data.ToArray());
    }
}
