using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using RfcnPerf.Testing;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// The request bodies a hostile client once turned into HTTP 500 with an empty body or gRPC UNKNOWN with a stack
/// trace in the log (tests/data/serving-hostile-bodies), replayed against an in-process server: each must get a 4xx
/// with the protocol's error JSON or INVALID_ARGUMENT with a message, and exactly one log line, no stack trace.
/// </summary>
public sealed class HostileRequestTests(HostileRequestTests.LoggedServer fixture) : IClassFixture<HostileRequestTests.LoggedServer>
{
    private const string PredictMethod = "/tensorflow.serving.PredictionService/Predict";

    /// <summary>How long a request's log line may trail its response (written after the response is flushed).</summary>
    private static readonly TimeSpan LogDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long to keep watching for a second line after the first arrived.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(200);

    private static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "data", "serving-hostile-bodies");

    public static TheoryData<string> RestBodies => [.. Files("tf-*.json").Concat(Files("kserve-*.json"))];

    public static TheoryData<string> GrpcMessages => [.. Files("grpc-predict-*.bin")];

    [Fact]
    public void The_regression_cases_are_all_there()
    {
        // 7 TF Serving and 2 KServe bodies, 12 Predict messages, as found (tests/data/serving-hostile-bodies/README.md).
        Assert.Equal((7, 2, 12), (Files("tf-*.json").Count(), Files("kserve-*.json").Count(), Files("grpc-predict-*.bin").Count()));
    }

    [Theory]
    [MemberData(nameof(RestBodies))]
    public async Task A_hostile_REST_body_gets_400_with_the_error_JSON_and_one_log_line(string file)
    {
        var path = file.StartsWith("tf-", StringComparison.Ordinal) ? "/v1/models/rfcn:predict" : "/v2/models/rfcn/infer";
        var before = fixture.Log.Entries.Count;
        using var content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(Folder, file)));
        content.Headers.ContentType = new("application/json");
        using var response = await fixture.Server.Http.PostAsync(path, content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = SingleError(text);
        await AssertOneLogLineAsync(before, $"400 POST {path}", error);
    }

    [Theory]
    [MemberData(nameof(GrpcMessages))]
    public async Task A_hostile_Predict_message_gets_INVALID_ARGUMENT_and_one_log_line(string file)
    {
        var before = fixture.Log.Entries.Count;
        var ex = await Assert.ThrowsAsync<RpcException>(() => SendRawAsync(PredictMethod, File.ReadAllBytes(Path.Combine(Folder, file))));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("the request is not a valid PredictRequest message: ", ex.Status.Detail, StringComparison.Ordinal);
        await AssertOneLogLineAsync(before, $"InvalidArgument POST {PredictMethod}", ex.Status.Detail);
    }

    [Fact]
    public async Task A_mangled_GetModelStatus_message_gets_INVALID_ARGUMENT()
    {
        // model_spec { name: "\xff" }: invalid UTF-8 in a string field.
        var ex = await Assert.ThrowsAsync<RpcException>(() => SendRawAsync("/tensorflow.serving.ModelService/GetModelStatus", [0x0a, 0x03, 0x0a, 0x01, 0xff]));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("the request is not a valid GetModelStatusRequest message: ", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_gRPC_calls_are_counted_under_their_status()
    {
        // A refusal is a trailers-only response: its grpc-status is a header, not a trailer.
        await Assert.ThrowsAsync<RpcException>(() => SendRawAsync(PredictMethod, File.ReadAllBytes(Path.Combine(Folder, "grpc-predict-004.bin"))));
        var metrics = await fixture.Server.Http.GetStringAsync("/metrics");
        Assert.Contains($"rfcnperf_request_errors_total{{endpoint=\"grpc{PredictMethod}\",status=\"InvalidArgument\"}}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reason_with_a_newline_stays_on_one_log_line()
    {
        // The key "a\nb" is echoed in the reason: escaped in the JSON body, escaped in the log.
        var before = fixture.Log.Entries.Count;
        using var content = new ByteArrayContent("{\"instances\": [{\"a\\nb\": 1}]}"u8.ToArray());
        using var response = await fixture.Server.Http.PostAsync("/v1/models/rfcn:predict", content);
        var error = SingleError(await response.Content.ReadAsStringAsync());
        Assert.Contains("\"a\nb\"", error, StringComparison.Ordinal);
        await AssertOneLogLineAsync(before, "400 POST /v1/models/rfcn:predict", error);
        Assert.Contains("\"a\\u000ab\"", fixture.Log.Entries[^1].Message, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Files(string pattern) =>
        Directory.GetFiles(Folder, pattern).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>The body's one property, "error": a non-empty one-line string.</summary>
    private static string SingleError(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var property = Assert.Single(doc.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        var error = property.Value.GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(error), body);
        return error;
    }

    private async Task AssertOneLogLineAsync(int before, string start, string reason)
    {
        await fixture.Log.WaitForAsync(before + 1, LogDelay);
        await Task.Delay(QuietPeriod);
        var added = fixture.Log.Entries.Skip(before).ToList();
        var entry = Assert.Single(added);
        Assert.Equal(RequestOutcomes.Category, entry.Category);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Null(entry.Exception);
        Assert.Matches($"^{Regex.Escape(start)} from 127\\.0\\.0\\.1:\\d+: {Regex.Escape(RequestOutcomes.OneLine(reason))}$", entry.Message);
        Assert.DoesNotContain('\n', entry.Message);
    }

    /// <summary>Sends <paramref name="message"/> as the raw request message of a unary call.</summary>
    private async Task SendRawAsync(string method, byte[] message)
    {
        var raw = Marshallers.Create<byte[]>(b => b, b => b);
        var parts = method.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var call = new Method<byte[], byte[]>(MethodType.Unary, parts[0], parts[1], raw, raw);
        await fixture.Server.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(), message);
    }

    /// <summary>A server of its own whose log is captured.</summary>
    public sealed class LoggedServer : IAsyncLifetime
    {
        internal LogCapture Log { get; } = new();

        internal TestServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await TestServer.StartAsync(ServerFixture.Options, log: Log);

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
