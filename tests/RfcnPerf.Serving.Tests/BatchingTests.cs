using System.Net;
using System.Text.Json;
using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary>Dynamic batching, the bounded queue and draining, each on a server of its own.</summary>
public sealed class BatchingTests
{
    /// <summary>
    /// A batch of 3 runs other kernels' blocking than batch 1 in ONNX Runtime, so scores and boxes may differ in
    /// the last float bits; detections must agree to this.
    /// </summary>
    private const float BatchedTolerance = 1e-4f;

    [Fact]
    public async Task Concurrent_requests_share_model_runs_and_give_the_unbatched_detections()
    {
        await using var server = await TestServer.StartAsync(new ServingOptions { MaxBatch = 4, BatchTimeoutMicros = 1_500_000 });
        var files = ServingTestData.Images;
        var before = server.Model.Batcher.Runs;
        var responses = await Task.WhenAll(files.Select(f => PostAsync(server, LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, [f]))));
        var runs = server.Model.Batcher.Runs - before;
        Assert.True(runs < files.Length, $"{files.Length} concurrent requests took {runs} model runs");

        var expected = ServingTestData.InProcess(files);
        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(HttpStatusCode.OK, responses[i].Status);
            using var doc = JsonDocument.Parse(responses[i].Body);
            ServingTestData.AssertSame(expected, i, ServingTestData.FromPrediction(doc.RootElement.GetProperty("predictions")[0]), BatchedTolerance);
        }
    }

    [Fact]
    public async Task A_full_queue_answers_503_at_once_and_an_oversized_request_400()
    {
        await using var server = await TestServer.StartAsync(new ServingOptions { MaxBatch = 2, MaxQueue = 2, BatchTimeoutMicros = 3_000_000 });
        var one = LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, ServingTestData.Images[..1]);
        var first = PostAsync(server, one);
        await WaitUntil(() => server.Model.Batcher.Queued == 1);

        var started = DateTime.UtcNow;
        var rejected = await PostAsync(server, LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, ServingTestData.Images[..2]));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.Status);
        Assert.Contains("queue is full", rejected.Body, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2), "the rejection must not wait for the batch");

        var oversized = await PostAsync(server, LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, ServingTestData.Images[..3]));
        Assert.Equal(HttpStatusCode.BadRequest, oversized.Status);
        Assert.Contains("--max-queue", oversized.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await first).Status);
    }

    [Fact]
    public async Task Stopping_drains_requests_in_flight()
    {
        var server = await TestServer.StartAsync(new ServingOptions { MaxBatch = 2, BatchTimeoutMicros = 2_000_000 });
        var port = server.Server.RestPort;
        var inFlight = PostAsync(server, LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, ServingTestData.Images[..1]));
        await WaitUntil(() => server.Model.Batcher.Queued == 1);
        await server.Server.StopAsync();
        var answer = await inFlight;
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("predictions", answer.Body, StringComparison.Ordinal);
        await server.DisposeAsync();

        using var fresh = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync($"http://127.0.0.1:{port}/v1/models/rfcn"));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(TestServer server, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using var response = await server.Http.PostAsync("/v1/models/rfcn:predict", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "timed out waiting for the request to be queued");
    }
}
