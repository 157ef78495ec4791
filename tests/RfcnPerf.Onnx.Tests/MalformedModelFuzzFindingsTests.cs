using RfcnPerf.Testing.Fuzzing;

namespace RfcnPerf.Onnx.Tests;

/// <summary>
/// Models that broke the reader's contract (a model or an <see cref="OnnxModelException"/>, bounded time and
/// memory) before the fix, found while fuzzing it (fuzz/run.sh onnx, <see cref="ReaderFuzzTests"/>): kept as
/// regression cases, built from a valid graph with one field made hostile.
/// </summary>
public sealed class MalformedModelFuzzFindingsTests
{
    [Theory]
    [InlineData(3_037_000_500L, 3_037_000_500L)] // the product wraps past long.MaxValue (to a small count: a 1.2 GB array)
    [InlineData(-1L, 2L)]
    [InlineData(long.MaxValue, 2L)]
    [InlineData(1L << 40, 1L << 40)]
    public void An_initializer_whose_dims_are_negative_or_overflow_is_refused(long d0, long d1)
    {
        var model = OnnxModelFile.Parse(AddGraph(), "seed");
        model.Graph.Initializer[0].Dims.Clear();
        model.Graph.Initializer[0].Dims.Add([d0, d1]);

        var ex = Assert.IsType<OnnxModelException>(MutationFuzz.Run(ReaderFuzzTests.ReadModel, OnnxModelFile.ToBytes(model)));
        Assert.Equal(
            $"fuzz.onnx: initializer 'c' has dims [{d0}, {d1}]; expected dims >= 0 whose product (the element count) fits in 64 bits.",
            ex.Message);
    }

    private static byte[] AddGraph() => new OnnxGraphBuilder()
        .Input("x", OnnxElementType.Int64, 2)
        .Initializer("c", OnnxElementType.Int64, new byte[16], 2)
        .Add("x", "c", "y")
        .Output("y", OnnxElementType.Int64, 2)
        .ToBytes();
}
