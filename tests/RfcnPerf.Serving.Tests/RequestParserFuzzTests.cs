using RfcnPerf.Serving.Protos.Serving;
using RfcnPerf.Testing.Fuzzing;
using Xunit.Abstractions;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// Mutated valid request bodies through every request parser of the server (TF Serving REST row and columnar,
/// nested lists and b64; KServe v2; the gRPC PredictRequest message and its tensor): each input gives images or a
/// <see cref="ServingException"/> (the server's 4xx / INVALID_ARGUMENT), within the time and allocation bounds of
/// <see cref="MutationFuzz"/>. Anything else would reach the client as a 500 or UNKNOWN.
/// </summary>
public sealed class RequestParserFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 3000;

    /// <summary>The test server's limits: small enough that a mutated size reaches them.</summary>
    private static readonly ServingOptions Limits = ServerFixture.Options;

    public static TheoryData<string> Parsers => [.. Targets.Keys];

    private static Dictionary<string, (IReadOnlyDictionary<string, byte[]> Seeds, Action<byte[]> Parse)> Targets => new(StringComparer.Ordinal)
    {
        ["tfserving"] = (ServingSeeds.TfServing(), TfServing),
        ["kserve"] = (ServingSeeds.KServe(), KServe),
        ["grpc-predict"] = (ServingSeeds.GrpcPredict(), GrpcPredict),
    };

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Every_seed_is_a_valid_request(string parser)
    {
        var (seeds, parse) = Targets[parser];
        foreach (var (name, bytes) in seeds)
        {
            Assert.Null(MutationFuzz.Run(parse, bytes) is { } failure ? $"{name}: {failure}" : null);
        }
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Mutated_requests_parse_or_raise_ServingException(string parser)
    {
        var (seeds, parse) = Targets[parser];
        var (parsed, rejected) = MutationFuzz.Check<ServingException>(
            parser, [.. seeds.Values], parse, MutationFuzz.Iterations(Inputs), MutationFuzz.Dictionary("serving"));
        output.WriteLine($"{parser}: {parsed + rejected} inputs, {parsed} parsed, {rejected} rejected with ServingException");
    }

    /// <summary>What <c>:predict</c> does with a body before the model runs.</summary>
    internal static void TfServing(byte[] body) =>
        ImageJson.Dispose(TfServingRest.ParsePredictBody(body, Limits.MaxPixelsPerImage, Limits.MaxQueue).Images);

    /// <summary>What <c>/infer</c> does with a body before the model runs.</summary>
    internal static void KServe(byte[] body) =>
        ImageJson.Dispose(KServeRest.ParseInferBody(body, Limits.MaxPixelsPerImage, Limits.MaxQueue).Images);

    /// <summary>What <c>Predict</c> does with a message before the model runs (the registry lookup aside).</summary>
    internal static void GrpcPredict(byte[] message)
    {
        var request = GrpcRequests.Parse(() => PredictRequest.Parser.ParseFrom(message));
        ServedSignature.Check(request.ModelSpec?.SignatureName);
        ImageJson.Dispose(PredictionGrpcService.ToImages(request, Limits.MaxPixelsPerImage, Limits.MaxQueue));
    }
}
