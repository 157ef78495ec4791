using System.Text;
using System.Text.Json;
using Google.Protobuf;
using RfcnPerf.Core;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Serving.Load;
using RfcnPerf.Serving.Protos.Serving;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// Accuracy mode through a server reads the detections back out of each protocol's answer: hand-written answers in
/// every form the protocols allow (row and columnar, flat and nested, tensor_content and float_val, no detections)
/// read to the same tensors; an error body, a truncated body and inconsistent shapes are refused with the reason;
/// and what <c>rfcnperf serve</c> answers reads back to the in-process pipeline's tensors bit for bit.
/// </summary>
public sealed class LoadResponseReaderTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    // Two detections of one image: a person and a dog, boxes as (ymin, xmin, ymax, xmax) normalised.
    private const string RowTwo = """
        {"predictions": [{"detection_boxes": [[0.1, 0.2, 0.5, 0.6], [0.0, 0.25, 1.0, 0.75]],
          "detection_classes": [1.0, 18.0], "detection_scores": [0.9, 0.25], "num_detections": 2.0}]}
        """;

    private const string ColumnarTwo = """
        {"outputs": {"detection_boxes": [[[0.1, 0.2, 0.5, 0.6], [0.0, 0.25, 1.0, 0.75]]],
          "detection_classes": [[1.0, 18.0]], "detection_scores": [[0.9, 0.25]], "num_detections": [2.0]}}
        """;

    private const string KServeFlatTwo = """
        {"model_name": "m", "model_version": "1", "outputs": [
          {"name": "detection_boxes", "datatype": "FP32", "shape": [1, 2, 4], "data": [0.1, 0.2, 0.5, 0.6, 0.0, 0.25, 1.0, 0.75]},
          {"name": "detection_classes", "datatype": "FP32", "shape": [1, 2], "data": [1.0, 18.0]},
          {"name": "detection_scores", "datatype": "FP32", "shape": [1, 2], "data": [0.9, 0.25]},
          {"name": "num_detections", "datatype": "FP32", "shape": [1], "data": [2.0]}]}
        """;

    private const string KServeNestedTwo = """
        {"outputs": [
          {"name": "num_detections", "datatype": "FP32", "shape": [1], "data": [2]},
          {"name": "detection_scores", "datatype": "FP32", "shape": [1, 2], "data": [[0.9, 0.25]]},
          {"name": "detection_classes", "datatype": "FP32", "shape": [1, 2], "data": [[1, 18]]},
          {"name": "detection_boxes", "datatype": "FP32", "shape": [1, 2, 4], "data": [[[0.1, 0.2, 0.5, 0.6], [0.0, 0.25, 1.0, 0.75]]]}]}
        """;

    public static TheoryData<string, string> TwoDetections => new()
    {
        { "tfserving-rest", RowTwo },
        { "tfserving-rest", ColumnarTwo },
        { "kserve", KServeFlatTwo },
        { "kserve", KServeNestedTwo },
        { "tfserving-grpc", ColumnarTwo },
    };

    [Theory]
    [MemberData(nameof(TwoDetections))]
    public void Every_form_of_an_answer_reads_to_the_same_detections(string protocol, string body)
    {
        var t = Read(protocol, body);

        Assert.Equal(1, t.Images);
        Assert.Equal(2, t.Max);
        Assert.Equal([1f, 18f], t.ClassData);
        Assert.Equal([0.9f, 0.25f], t.ScoreData);
        Assert.Equal([0.1f, 0.2f, 0.5f, 0.6f, 0f, 0.25f, 1f, 0.75f], t.BoxData);

        // Back to COCO pixel boxes of a 200 x 100 image, as the in-process path scales them (float arithmetic).
        var row = t.Row(0, 200, 100);
        Assert.Equal(new Detection(1, 0.9f, 0.2f * 200, 0.1f * 100, (0.6f - 0.2f) * 200, (0.5f - 0.1f) * 100), row[0]);
        Assert.Equal(new Detection(18, 0.25f, 0.25f * 200, 0f, (0.75f - 0.25f) * 200, 100f), row[1]);
    }

    [Fact]
    public void A_gRPC_answer_reads_from_tensor_content_and_from_float_val()
    {
        var content = LoadResponseReader.TfServingRest(Encoding.UTF8.GetBytes(ColumnarTwo));
        var response = new PredictResponse();
        foreach (var name in DetectionTensors.OutputNames)
        {
            var (data, shape) = content.Output(name);
            response.Outputs[name] = PredictionGrpcService.FloatTensor(data, shape);
        }

        var fromContent = LoadResponseReader.Grpc(response);
        Assert.Equal(content.BoxData, fromContent.BoxData);
        Assert.Equal(content.ScoreData, fromContent.ScoreData);
        Assert.Equal(content.ClassData, fromContent.ClassData);
        Assert.Equal(content.CountData, fromContent.CountData);

        // The same values as float_val (the other way a TensorProto carries floats).
        var asFloatVal = new PredictResponse();
        foreach (var (name, tensor) in response.Outputs)
        {
            var copy = tensor.Clone();
            copy.FloatVal.Add(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(copy.TensorContent.Span).ToArray());
            copy.TensorContent = ByteString.Empty;
            asFloatVal.Outputs[name] = copy;
        }

        var fromFloatVal = LoadResponseReader.Grpc(asFloatVal);
        Assert.Equal(content.BoxData, fromFloatVal.BoxData);
        Assert.Equal(content.ScoreData, fromFloatVal.ScoreData);
        Assert.Equal(content.ClassData, fromFloatVal.ClassData);
    }

    [Theory]
    [InlineData("tfserving-rest", """{"predictions": [{"detection_boxes": [], "detection_classes": [], "detection_scores": [], "num_detections": 0.0}]}""")]
    [InlineData("tfserving-rest", """{"outputs": {"detection_boxes": [[]], "detection_classes": [[]], "detection_scores": [[]], "num_detections": [0.0]}}""")]
    [InlineData("kserve", """{"outputs": [{"name": "detection_boxes", "datatype": "FP32", "shape": [1, 0, 4], "data": []}, {"name": "detection_classes", "datatype": "FP32", "shape": [1, 0], "data": []}, {"name": "detection_scores", "datatype": "FP32", "shape": [1, 0], "data": []}, {"name": "num_detections", "datatype": "FP32", "shape": [1], "data": [0]}]}""")]
    [InlineData("tfserving-grpc", """{"outputs": {"detection_boxes": [[]], "detection_classes": [[]], "detection_scores": [[]], "num_detections": [0.0]}}""")]
    public void An_image_without_detections_reads_as_an_empty_row(string protocol, string body)
    {
        var t = Read(protocol, body);

        Assert.Equal(1, t.Images);
        Assert.Equal(0, t.Max);
        Assert.Empty(t.Row(0, 640, 480));
    }

    [Fact]
    public void Rows_of_different_lengths_are_padded_to_the_longest()
    {
        var t = LoadResponseReader.TfServingRest(Encoding.UTF8.GetBytes("""
            {"predictions": [
              {"detection_boxes": [[0.1, 0.1, 0.2, 0.2]], "detection_classes": [3], "detection_scores": [0.5], "num_detections": 1},
              {"detection_boxes": [], "detection_classes": [], "detection_scores": [], "num_detections": 0},
              {"detection_boxes": [[0, 0, 1, 1], [0.5, 0.5, 1, 1]], "detection_classes": [1, 2], "detection_scores": [0.7, 0.6], "num_detections": 2}]}
            """));

        Assert.Equal(3, t.Images);
        Assert.Equal(2, t.Max);
        Assert.Equal([1f, 0f, 2f], t.CountData);
        Assert.Equal(3, Assert.Single(t.Row(0, 10, 10)).CategoryId);
        Assert.Empty(t.Row(1, 10, 10));
        Assert.Equal([1, 2], t.Row(2, 10, 10).Select(d => d.CategoryId));
    }

    [Theory]
    [InlineData("tfserving-rest", """{"error": "Servable not found for request: Latest(nope)"}""", "the server answered an error: Servable not found for request: Latest(nope)")]
    [InlineData("kserve", """{"error": "the batching queue is full"}""", "the server answered an error: the batching queue is full")]
    [InlineData("tfserving-rest", """{"predictions": [{"detection_boxes": [[0.1, 0.2, 0.5, 0.6], [0.0, 0.25""", "tfserving-rest response: not valid JSON (")]
    [InlineData("kserve", "", "kserve response: not valid JSON (0 bytes)")]
    [InlineData("tfserving-rest", "[1, 2]", "the body is a list; expected a JSON object")]
    [InlineData("tfserving-rest", """{"result": 1}""", "no 'predictions' (row format) or 'outputs' (columnar) key; keys: result")]
    [InlineData("tfserving-rest", """{"predictions": [{"detection_boxes": [[0.1, 0.2, 0.5, 0.6]], "detection_classes": [1], "detection_scores": [0.9], "num_detections": 2}]}""", "'num_detections'[0] is 2; expected a whole number from 0 to the 1 detections sent")]
    [InlineData("tfserving-rest", """{"predictions": [{"detection_boxes": [[0.1, 0.2, 0.5]], "detection_classes": [1], "detection_scores": [0.9], "num_detections": 1}]}""", "expected [M], [M], [M, 4]")]
    [InlineData("tfserving-rest", """{"predictions": [{"detection_boxes": [[0.1, 0.2, 0.5, 0.6]], "detection_classes": [1], "detection_scores": ["high"], "num_detections": 1}]}""", "predictions[0].detection_scores: a string (\"high\") where a finite float was expected")]
    [InlineData("tfserving-rest", """{"predictions": [{"detection_boxes": [[0.1, 0.2, 0.5, 0.6]], "detection_classes": [1], "num_detections": 1}]}""", "predictions[0] has no 'detection_scores'")]
    [InlineData("tfserving-rest", """{"outputs": {"detection_boxes": [[[0.1, 0.2, 0.5, 0.6]], [[0.1, 0.2]]], "detection_classes": [[1], [1]], "detection_scores": [[0.9], [0.9]], "num_detections": [1, 1]}}""", "outputs.detection_boxes: not a rectangular list of numbers")]
    [InlineData("kserve", """{"outputs": [{"name": "detection_boxes", "datatype": "FP32", "shape": [1, 1, 4], "data": [0.1, 0.2, 0.5]}]}""", "output 'detection_boxes' has 3 values but shape [1, 1, 4] needs 4")]
    [InlineData("kserve", """{"outputs": [{"name": "num_detections", "datatype": "FP32", "shape": [1], "data": [0]}]}""", "kserve response: no 'detection_classes' output")]
    [InlineData("kserve", """{"outputs": [{"name": "detection_boxes", "datatype": "FP32", "shape": [1, 1, 4], "data": [0.1, 0.2, 0.5, 0.6]}, {"name": "detection_classes", "datatype": "FP32", "shape": [1, 2], "data": [1, 1]}, {"name": "detection_scores", "datatype": "FP32", "shape": [1, 2], "data": [0.9, 0.8]}, {"name": "num_detections", "datatype": "FP32", "shape": [1], "data": [1]}]}""", "'detection_boxes' has shape [1, 1, 4]; expected [1, 2, 4]")]
    public void A_bad_answer_is_refused_with_its_reason(string protocol, string body, string message)
    {
        var ex = Assert.Throws<RfcnPerfException>(() => Read(protocol, body));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("tfserving-rest")]
    [InlineData("kserve")]
    public void Mutated_answers_read_or_raise_RfcnPerfException(string protocol)
    {
        // Whatever a broken or hostile server sends, the reader answers detections or its one-line refusal: any other
        // exception would escape as a sample failed with a bare type name, or end the run.
        string[] seeds = protocol == "kserve" ? [KServeFlatTwo, KServeNestedTwo] : [RowTwo, ColumnarTwo];
        var kind = protocol == "kserve" ? LoadProtocol.KServe : LoadProtocol.TfServingRest;
        var (parsed, rejected) = RfcnPerf.Testing.Fuzzing.MutationFuzz.Check<RfcnPerfException>(
            "response-" + protocol, [.. seeds.Select(Encoding.UTF8.GetBytes)], body => LoadResponseReader.Json(kind, body), RfcnPerf.Testing.Fuzzing.MutationFuzz.Iterations(3000));
        Assert.True(parsed > 0 && rejected > 0);
    }

    [Theory]
    [InlineData("""{"error": "Servable not found for request: Latest(nope)"}""", "Servable not found for request: Latest(nope)")]
    [InlineData("<html>Bad Gateway</html>\nmore", "<html>Bad Gateway</html>")]
    [InlineData("", "(empty body)")]
    public void The_reason_of_a_refused_request_is_the_error_string_or_the_start_of_the_body(string body, string expected) =>
        Assert.Equal(expected, LoadResponseReader.ErrorMessage(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Floats_the_server_writes_as_JSON_read_back_to_the_same_bits()
    {
        // The server writes each float with Utf8JsonWriter (RestExchange.WriteFloats); reading it back as a float
        // must give the same bits, or a --url accuracy run could differ from the in-process one in the last place.
        var random = new Random(20261206);
        var values = new List<float>();
        while (values.Count < 20000)
        {
            var v = values.Count % 2 == 0 ? random.NextSingle() : BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            if (float.IsFinite(v))
            {
                values.Add(v);
            }
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartObject("outputs");
            w.WriteStartArray(DetectionTensors.Boxes);
            w.WriteStartArray();
            var all = values.ToArray();
            for (var j = 0; j < all.Length / 4; j++)
            {
                RestExchange.WriteFloats(w, all.AsSpan(j * 4, 4));
            }

            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray(DetectionTensors.Classes);
            RestExchange.WriteFloats(w, new float[values.Count / 4]);
            w.WriteEndArray();
            w.WriteStartArray(DetectionTensors.Scores);
            RestExchange.WriteFloats(w, new float[values.Count / 4]);
            w.WriteEndArray();
            w.WritePropertyName(DetectionTensors.Count);
            RestExchange.WriteFloats(w, [0f]);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var t = LoadResponseReader.TfServingRest(stream.ToArray());

        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), t.BoxData.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData("TfServingRest", "B64")]
    [InlineData("TfServingRest", "Raw")]
    [InlineData("TfServingGrpc", "B64")]
    [InlineData("KServe", "B64")]
    public async Task What_the_server_answers_reads_back_to_the_in_process_tensors_bit_for_bit(string protocolName, string payloadName)
    {
        var (protocol, payload) = (Enum.Parse<LoadProtocol>(protocolName), Enum.Parse<LoadPayload>(payloadName));
        var server = fixture.Server.Server;
        var url = protocol switch
        {
            LoadProtocol.TfServingRest => $"http://127.0.0.1:{server.RestPort}/v1/models/rfcn",
            LoadProtocol.KServe => $"http://127.0.0.1:{server.RestPort}/v2/models/rfcn",
            _ => $"http://127.0.0.1:{server.GrpcPort}/rfcn",
        };
        var files = ServingTestData.Images;
        using var client = new LoadClient(new LoadOptions { Url = new Uri(url), Protocol = protocol, Payload = payload, Images = files, DistinctBodies = files.Length });
        var expected = ServingTestData.InProcess(files);
        for (var i = 0; i < files.Length; i++)
        {
            DetectionTensors? got = null;
            var status = await client.SendAsync(i, CancellationToken.None, t => got = t);
            Assert.Null(status);
            Assert.NotNull(got);
            Assert.Equal(1, got.Images);
            var n = (int)expected.CountData[i];
            Assert.Equal(n, (int)got.CountData[0]);
            Assert.True(n > 0, $"{files[i]} should have detections");
            Assert.Equal(Bits(expected.BoxData.AsSpan(i * expected.Max * 4, n * 4)), Bits(got.BoxData.AsSpan(0, n * 4)));
            Assert.Equal(Bits(expected.ScoreData.AsSpan(i * expected.Max, n)), Bits(got.ScoreData.AsSpan(0, n)));
            Assert.Equal(Bits(expected.ClassData.AsSpan(i * expected.Max, n)), Bits(got.ClassData.AsSpan(0, n)));
        }
    }

    [Theory]
    [InlineData("TfServingRest", "/v1/models/nope", "404: Servable not found")]
    [InlineData("KServe", "/v2/models/nope", "404: ")]
    [InlineData("TfServingGrpc", "/nope", "NotFound: ")]
    public async Task A_refused_request_in_accuracy_mode_carries_the_servers_reason(string protocolName, string path, string start)
    {
        var protocol = Enum.Parse<LoadProtocol>(protocolName);
        var server = fixture.Server.Server;
        var port = protocol == LoadProtocol.TfServingGrpc ? server.GrpcPort : server.RestPort;
        using var client = new LoadClient(new LoadOptions { Url = new Uri($"http://127.0.0.1:{port}{path}"), Protocol = protocol, Images = ServingTestData.Images[..1] });
        var read = false;

        var status = await client.SendAsync(0, CancellationToken.None, _ => read = true);

        Assert.NotNull(status);
        Assert.StartsWith(start, status, StringComparison.Ordinal);
        Assert.Contains("nope", status, StringComparison.Ordinal);
        Assert.False(read);

        // Without a reader (performance mode) the label stays the bare status, so errors group by status.
        Assert.Equal(protocol == LoadProtocol.TfServingGrpc ? "NotFound" : "404", await client.SendAsync(0, CancellationToken.None));
    }

    private static DetectionTensors Read(string protocol, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        if (protocol != "tfserving-grpc")
        {
            return LoadResponseReader.Json(protocol == "kserve" ? LoadProtocol.KServe : LoadProtocol.TfServingRest, bytes);
        }

        // A gRPC answer built from the columnar JSON's values, as the server builds its PredictResponse.
        var columns = LoadResponseReader.TfServingRest(bytes);
        var response = new PredictResponse();
        foreach (var name in DetectionTensors.OutputNames)
        {
            var (data, shape) = columns.Output(name);
            response.Outputs[name] = PredictionGrpcService.FloatTensor(data, shape);
        }

        return LoadResponseReader.Grpc(response);
    }

    private static int[] Bits(ReadOnlySpan<float> values) => [.. values.ToArray().Select(BitConverter.SingleToInt32Bits)];
}
