using System.Text;
using RfcnPerf.Serving.Protos.Serving;
using RfcnPerf.Serving.Protos.Tensorflow;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// Inputs that broke a request parser (found by the fuzz tests or by reading the code the fuzz tests pointed at),
/// each pinned with the reason the server now gives. The hostile bodies of tests/data are in <see cref="HostileRequestTests"/>.
/// </summary>
public sealed class RequestParserFindingsTests
{
    private static readonly ServingOptions Limits = ServerFixture.Options;

    [Fact]
    public void A_wrapper_field_running_past_its_message_is_a_parse_error()
    {
        // PredictRequest { model_spec (2 bytes) { version: Int64Value of length 5 } }: Google.Protobuf asks for the
        // wrapper's next tag at the end of model_spec, gets 0 and threw InvalidOperationException (found by the fuzz test).
        var ex = Assert.Throws<ServingException>(() => RequestParserFuzzTests.GrpcPredict([0x0a, 0x02, 0x12, 0x05]));
        Assert.Equal(ServingErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("the request is not a valid PredictRequest message: SkipLastField cannot be called at the end of a stream", ex.Message);
    }

    [Theory]
    [InlineData(4611686018427387904L, 4L)] // 2^62 x 4 wraps to 0 in 64 bits
    [InlineData(3074457345618258603L, 3L)] // x 3 wraps to 1
    [InlineData(1001L, 1000L)]
    public void Pixel_dimensions_whose_product_overflows_are_over_the_limit(long height, long width)
    {
        var kserve = Encoding.UTF8.GetBytes($"{{\"inputs\": [{{\"name\": \"inputs\", \"datatype\": \"UINT8\", \"shape\": [1, {height}, {width}, 3], \"data\": [0, 0, 0]}}]}}");
        var ex = Assert.Throws<ServingException>(() => RequestParserFuzzTests.KServe(kserve));
        Assert.Equal($"input 'inputs' images have {height}x{width} pixels, more than the limit of {Limits.MaxPixelsPerImage} (--max-pixels)", ex.Message);

        var request = new PredictRequest { ModelSpec = new ModelSpec { Name = "rfcn" } };
        request.Inputs["inputs"] = new TensorProto
        {
            Dtype = DataType.DtUint8,
            TensorShape = new TensorShapeProto { Dim = { new[] { height, width, 3L }.Select(d => new TensorShapeProto.Types.Dim { Size = d }) } },
            TensorContent = Google.Protobuf.ByteString.CopyFrom(0, 0, 0),
        };
        ex = Assert.Throws<ServingException>(() => PredictionGrpcService.ToImages(request, Limits.MaxPixelsPerImage, Limits.MaxQueue));
        Assert.Equal($"input DT_UINT8 images have {height}x{width} pixels, more than the limit of {Limits.MaxPixelsPerImage} (--max-pixels)", ex.Message);
    }

    [Theory]
    [InlineData("{\"instances\": [[[[1,2,3]]]], \"x\": [1, }", "JSON Parse error: ")] // Skip() over a broken ignored value
    [InlineData("{\"\xff\": 1, \"instances\": [[[[1,2,3]]]]}", "JSON Parse error: ")] // invalid UTF-8 in a key
    [InlineData("{\"signature_name\": \"\xc3(\", \"instances\": [[[[1,2,3]]]]}", "JSON Parse error: ")]
    [InlineData("{\"instances\": [{\"b64\": \"\\ud800\"}]}", "instances[0].b64: ")] // an escaped lone surrogate
    public void Broken_JSON_and_text_in_a_TF_Serving_body_is_a_400(string latin1Body, string expected)
    {
        // Latin-1 maps each char to the byte of the same value, so "\xff" is the single (invalid UTF-8) byte 0xFF.
        var ex = Assert.Throws<ServingException>(() => RequestParserFuzzTests.TfServing(Encoding.Latin1.GetBytes(latin1Body)));
        Assert.Equal(ServingErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"inputs\": [{\"name\": \"inputs\", \"datatype\": \"UINT8\", \"shape\": [1, 1, 1, 3], \"data\": [1, 2, 3], \"parameters\": {\"a\": [}}]}")]
    [InlineData("{\"id\": \"\xff\", \"inputs\": []}")]
    [InlineData("{\"inputs\": [{\"name\": \"inputs\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"\xe2\x82\"]}]}")]
    public void Broken_JSON_and_text_in_a_KServe_body_is_a_400(string latin1Body)
    {
        var ex = Assert.Throws<ServingException>(() => RequestParserFuzzTests.KServe(Encoding.Latin1.GetBytes(latin1Body)));
        Assert.StartsWith("JSON Parse error: ", ex.Message, StringComparison.Ordinal);
    }
}
