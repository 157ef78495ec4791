using System.Net;
using System.Text;
using System.Text.Json;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Serving.Load;
using SkiaSharp;

namespace RfcnPerf.Serving.Tests;

public sealed class TfServingRestTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Status_reports_version_1_available()
    {
        using var doc = await GetJsonAsync("/v1/models/rfcn", HttpStatusCode.OK);
        var status = doc.RootElement.GetProperty("model_version_status")[0];
        Assert.Equal("1", status.GetProperty("version").GetString());
        Assert.Equal("AVAILABLE", status.GetProperty("state").GetString());
        Assert.Equal("OK", status.GetProperty("status").GetProperty("error_code").GetString());
        using var v1 = await GetJsonAsync("/v1/models/rfcn/versions/1", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metadata_has_the_tf_od_api_signature()
    {
        using var doc = await GetJsonAsync("/v1/models/rfcn/metadata", HttpStatusCode.OK);
        var signature = doc.RootElement.GetProperty("metadata").GetProperty("signature_def").GetProperty("signature_def").GetProperty("serving_default");
        Assert.Equal("DT_UINT8", signature.GetProperty("inputs").GetProperty("inputs").GetProperty("dtype").GetString());
        Assert.Equal(
            DetectionTensors.OutputNames.Order(StringComparer.Ordinal),
            signature.GetProperty("outputs").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("rfcn", doc.RootElement.GetProperty("model_spec").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/v1/models/nope", "Latest(nope)")]
    [InlineData("/v1/models/rfcn/versions/2", "Specific(rfcn, 2)")]
    [InlineData("/v1/models/nope/metadata", "Latest(nope)")]
    [InlineData("/v1/models/rfcn/labels/stable", "Label(rfcn, stable)")]
    [InlineData("/nothing/here", "Malformed request: GET /nothing/here")]
    public async Task Unknown_models_versions_and_routes_are_404(string path, string expected)
    {
        using var doc = await GetJsonAsync(path, HttpStatusCode.NotFound);
        Assert.Contains(expected, doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row_b64_prediction_equals_the_in_process_pipeline()
    {
        var files = ServingTestData.Images[..2];
        var body = LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, files);
        using var doc = await PostJsonAsync("/v1/models/rfcn:predict", body, HttpStatusCode.OK);
        var expected = ServingTestData.InProcess(files);
        var predictions = doc.RootElement.GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        for (var i = 0; i < 2; i++)
        {
            ServingTestData.AssertSame(expected, i, ServingTestData.FromPrediction(predictions[i]));
        }
    }

    [Fact]
    public async Task Nested_list_columnar_and_versioned_requests_give_the_same_detections()
    {
        var file = ServingTestData.Images[0];
        var expected = ServingTestData.InProcess(file);
        using var image = ImageDecoder.Decode(file);
        var raw = LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.Raw, [file]);
        using (var doc = await PostJsonAsync("/v1/models/rfcn/versions/1:predict", raw, HttpStatusCode.OK))
        {
            ServingTestData.AssertSame(expected, 0, ServingTestData.FromPrediction(doc.RootElement.GetProperty("predictions")[0]));
        }

        // Columnar: {"inputs": [image]} answers {"outputs": {name: [per image]}}; named instances {"inputs": image} too.
        var b64 = Convert.ToBase64String(File.ReadAllBytes(file));
        using (var doc = await PostJsonAsync("/v1/models/rfcn:predict", Encoding.UTF8.GetBytes("{\"signature_name\": \"serving_default\", \"inputs\": [{\"b64\": \"" + b64 + "\"}]}"), HttpStatusCode.OK))
        {
            var outputs = doc.RootElement.GetProperty("outputs");
            var prediction = JsonDocument.Parse($$"""
                {"detection_boxes": {{outputs.GetProperty("detection_boxes")[0]}}, "detection_classes": {{outputs.GetProperty("detection_classes")[0]}},
                 "detection_scores": {{outputs.GetProperty("detection_scores")[0]}}, "num_detections": {{outputs.GetProperty("num_detections")[0]}}}
                """);
            ServingTestData.AssertSame(expected, 0, ServingTestData.FromPrediction(prediction.RootElement));
        }

        using (var doc = await PostJsonAsync("/v1/models/rfcn:predict", Encoding.UTF8.GetBytes("{\"instances\": [{\"inputs\": {\"b64\": \"" + b64 + "\"}}]}"), HttpStatusCode.OK))
        {
            ServingTestData.AssertSame(expected, 0, ServingTestData.FromPrediction(doc.RootElement.GetProperty("predictions")[0]));
        }
    }

    [Theory]
    [InlineData("{\"instances\": [1", "JSON Parse error")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"signature_name\": \"serving_default\"}", "Missing 'instances' or 'inputs'")]
    [InlineData("{\"instances\": [[[[1,2,3]]]], \"inputs\": [[[[1,2,3]]]]}", "Only one of 'instances' or 'inputs'")]
    [InlineData("{\"instances\": []}", "the list is empty")]
    [InlineData("{\"instances\": [[[[1,2,3],[4,5,6]],[[1,2,3]]]]}", "instances[0][1]: row has 1 pixels but row 0 has 2")]
    [InlineData("{\"instances\": [[[[1,2,3,4]]]]}", "more than 3 channels")]
    [InlineData("{\"instances\": [[[[1,2]]]]}", "instances[0][0][0][2]: expected a uint8 number")]
    [InlineData("{\"instances\": [[[[1,256,3]]]]}", "256 is not a uint8")]
    [InlineData("{\"instances\": [[[[1,-2,3]]]]}", "-2 is not a uint8")]
    [InlineData("{\"instances\": [[[[1,2.5,3]]]]}", "2.5 is not a uint8")]
    [InlineData("{\"instances\": [\"text\"]}", "instances[0]: expected a uint8 HxWx3 nested list or {\"b64\": ...}, found a string")]
    [InlineData("{\"instances\": [{\"b64\": \"%%%\"}]}", "instances[0].b64: not valid base64")]
    [InlineData("{\"instances\": [{\"b64\": \"aGVsbG8gd29ybGQ=\"}]}", "not a decodable image")]
    [InlineData("{\"instances\": [{\"image\": [[[1,2,3]]]}]}", "unknown input \"image\"")]
    [InlineData("{\"signature_name\": \"other\", \"instances\": [[[[1,2,3]]]]}", "\"other\" not found in signature def")]
    public async Task Bad_requests_are_400_with_a_one_line_reason(string body, string expected)
    {
        using var doc = await PostJsonAsync("/v1/models/rfcn:predict", Encoding.UTF8.GetBytes(body), HttpStatusCode.BadRequest);
        var error = doc.RootElement.GetProperty("error").GetString()!;
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.Single(doc.RootElement.EnumerateObject());
    }

    [Fact]
    public async Task Unknown_model_on_predict_is_404_and_classify_is_400()
    {
        using var missing = await PostJsonAsync("/v1/models/nope:predict", "{\"instances\": [[[[1,2,3]]]]}"u8.ToArray(), HttpStatusCode.NotFound);
        using var classify = await PostJsonAsync("/v1/models/rfcn:classify", "{\"examples\": []}"u8.ToArray(), HttpStatusCode.BadRequest);
        Assert.Contains("predict signature", classify.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_and_pixel_limits_answer_413()
    {
        var big = new byte[(int)ServerFixture.Options.MaxBodyBytes + 1024];
        Array.Fill(big, (byte)' ');
        // With Expect: 100-continue the server answers before the body is sent, as curl does for large bodies.
        using (var doc = await PostJsonAsync("/v1/models/rfcn:predict", big, HttpStatusCode.RequestEntityTooLarge, expectContinue: true))
        {
            Assert.Contains("--max-body-mb", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // A 1001x1000 PNG compresses to a few KiB but decodes to more pixels than the limit: refused from its header.
        using var bitmap = new SKBitmap(1001, 1000);
        bitmap.Erase(SKColors.Gray);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var body = Encoding.UTF8.GetBytes("{\"instances\": [{\"b64\": \"" + Convert.ToBase64String(png.ToArray()) + "\"}]}");
        using var pixels = await PostJsonAsync("/v1/models/rfcn:predict", body, HttpStatusCode.BadRequest);
        Assert.Contains("more than the limit of 1000000", pixels.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_requests_errors_and_batches()
    {
        await PostJsonAsync("/v1/models/rfcn:predict", "{}"u8.ToArray(), HttpStatusCode.BadRequest);
        var body = LoadRequestBuilder.Json(LoadProtocol.TfServingRest, LoadPayload.B64, ServingTestData.Images[..1]);
        (await PostJsonAsync("/v1/models/rfcn:predict", body, HttpStatusCode.OK)).Dispose();
        var text = await Http.GetStringAsync("/metrics");
        Assert.Contains("rfcnperf_requests_total{endpoint=\"tfserving_predict\",status=\"200\"}", text, StringComparison.Ordinal);
        Assert.Contains("rfcnperf_request_errors_total{endpoint=\"tfserving_predict\",status=\"400\"}", text, StringComparison.Ordinal);
        Assert.Contains("rfcnperf_batch_size_bucket{model=\"rfcn\",le=\"1\"}", text, StringComparison.Ordinal);
        Assert.Contains("rfcnperf_queue_depth{model=\"rfcn\"}", text, StringComparison.Ordinal);
        Assert.Contains("rfcnperf_request_duration_seconds_bucket{endpoint=\"tfserving_predict\"", text, StringComparison.Ordinal);
    }

    private async Task<JsonDocument> GetJsonAsync(string path, HttpStatusCode expected)
    {
        using var response = await Http.GetAsync(path);
        return await ReadAsync(response, expected);
    }

    private async Task<JsonDocument> PostJsonAsync(string path, byte[] body, HttpStatusCode expected, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.ExpectContinue = expectContinue;
        using var response = await Http.SendAsync(request);
        return await ReadAsync(response, expected);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text);
    }
}
