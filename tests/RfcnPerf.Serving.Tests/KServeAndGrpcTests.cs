using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using RfcnPerf.Serving.Load;
using RfcnPerf.Serving.Protos.Serving;
using RfcnPerf.Serving.Protos.Tensorflow;

namespace RfcnPerf.Serving.Tests;

public sealed class KServeAndGrpcTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Theory]
    [InlineData("/v2/health/live", "live")]
    [InlineData("/v2/health/ready", "ready")]
    [InlineData("/v2/models/rfcn/ready", "ready")]
    public async Task KServe_health_and_readiness(string path, string property)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty(property).GetBoolean());
    }

    [Fact]
    public async Task KServe_metadata_names_the_tensors()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync("/v2/models/rfcn"));
        Assert.Equal("rfcn", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal("UINT8", doc.RootElement.GetProperty("inputs")[0].GetProperty("datatype").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("outputs").GetArrayLength());
        using var missing = await Http.GetAsync("/v2/models/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("b64")]
    [InlineData("raw")]
    public async Task KServe_infer_equals_the_in_process_pipeline(string payloadName)
    {
        var payload = Enum.Parse<LoadPayload>(payloadName, ignoreCase: true);
        var file = ServingTestData.Images[0];
        using var content = new ByteArrayContent(LoadRequestBuilder.Json(LoadProtocol.KServe, payload, [file]));
        using var response = await Http.PostAsync("/v2/models/rfcn/infer", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var doc = JsonDocument.Parse(text);
        var outputs = doc.RootElement.GetProperty("outputs").EnumerateArray().ToDictionary(
            o => o.GetProperty("name").GetString()!,
            o => o.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        Assert.Equal("FP32", doc.RootElement.GetProperty("outputs")[0].GetProperty("datatype").GetString());
        ServingTestData.AssertSame(ServingTestData.InProcess(file), 0, (outputs[DetectionTensors.Boxes], outputs[DetectionTensors.Classes], outputs[DetectionTensors.Scores], (int)outputs[DetectionTensors.Count][0]));
    }

    [Theory]
    [InlineData("{\"inputs\": [{\"name\": \"inputs\", \"shape\": [1, 1, 1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}", "datatype 'FP32'")]
    [InlineData("{\"inputs\": [{\"name\": \"inputs\", \"shape\": [1, 2, 1, 3], \"datatype\": \"UINT8\", \"data\": [1, 2, 3]}]}", "has 3 values but shape [1, 2, 1, 3] needs 6")]
    [InlineData("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 1, 1, 3], \"datatype\": \"UINT8\", \"data\": [1, 2, 3]}]}", "unknown input 'x'")]
    [InlineData("{\"inputs\": [{\"name\": \"inputs\", \"shape\": [1, 1, 1, 3], \"datatype\": \"UINT8\", \"data\": [1, 300, 3]}]}", "is not a uint8")]
    [InlineData("{\"inputs\": []}", "no input tensor")]
    [InlineData("{\"inputs\": [{\"name\": \"inputs\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"!!\"]}]}", "not valid base64")]
    public async Task KServe_bad_requests_are_400(string body, string expected)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        using var response = await Http.PostAsync("/v2/models/rfcn/infer", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains(expected, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("b64")]
    [InlineData("raw")]
    public async Task Grpc_predict_equals_the_in_process_pipeline(string payloadName)
    {
        var payload = Enum.Parse<LoadPayload>(payloadName, ignoreCase: true);
        var file = ServingTestData.Images[1];
        var client = new PredictionService.PredictionServiceClient(fixture.Server.Channel);
        var response = await client.PredictAsync(LoadRequestBuilder.Grpc("rfcn", payload, [file]));
        Assert.Equal("rfcn", response.ModelSpec.Name);
        Assert.Equal(1, response.ModelSpec.Version);
        float[] Floats(string name)
        {
            var tensor = response.Outputs[name];
            Assert.Equal(DataType.DtFloat, tensor.Dtype);
            return MemoryMarshal.Cast<byte, float>(tensor.TensorContent.Span).ToArray();
        }

        Assert.Equal([1L, (long)Floats(DetectionTensors.Count)[0], 4L], response.Outputs[DetectionTensors.Boxes].TensorShape.Dim.Select(d => d.Size));
        ServingTestData.AssertSame(ServingTestData.InProcess(file), 0, (Floats(DetectionTensors.Boxes), Floats(DetectionTensors.Classes), Floats(DetectionTensors.Scores), (int)Floats(DetectionTensors.Count)[0]));
    }

    [Fact]
    public async Task Grpc_errors_map_to_status_codes()
    {
        var client = new PredictionService.PredictionServiceClient(fixture.Server.Channel);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(new PredictRequest { ModelSpec = new ModelSpec { Name = "nope" } }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Latest(nope)", unknown.Status.Detail, StringComparison.Ordinal);

        var badShape = new PredictRequest { ModelSpec = new ModelSpec { Name = "rfcn" } };
        badShape.Inputs["inputs"] = new TensorProto { Dtype = DataType.DtUint8, TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = 2 }, new TensorShapeProto.Types.Dim { Size = 2 } } } };
        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(badShape).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("expected [N, H, W, 3]", invalid.Status.Detail, StringComparison.Ordinal);

        var badDtype = new PredictRequest { ModelSpec = new ModelSpec { Name = "rfcn" } };
        badDtype.Inputs["inputs"] = new TensorProto { Dtype = DataType.DtFloat };
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(badDtype).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task Grpc_model_status_is_available()
    {
        var client = new ModelService.ModelServiceClient(fixture.Server.Channel);
        var status = await client.GetModelStatusAsync(new GetModelStatusRequest { ModelSpec = new ModelSpec { Name = "rfcn" } });
        Assert.Equal(ModelVersionStatus.Types.State.Available, Assert.Single(status.ModelVersionStatus).State);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.GetModelStatusAsync(new GetModelStatusRequest { ModelSpec = new ModelSpec { Name = "rfcn", Version = 7 } }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, wrong.StatusCode);
    }
}
