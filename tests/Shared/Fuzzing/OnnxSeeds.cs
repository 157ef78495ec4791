using RfcnPerf.Onnx;

namespace RfcnPerf.Testing.Fuzzing;

/// <summary>
/// Small ONNX graphs as fuzzing seeds (real models are megabytes: far too big to mutate usefully). Together they
/// reach every part of the reader: initializers (float, int64), attributes, symbolic and fixed dims, metadata, a
/// second opset domain, the tf-od-api family and a fixed-batch graph that batchify rewrites. Shared by the CsCheck
/// tests and the AFL harness (fuzz/RfcnPerf.Fuzz links this file).
/// </summary>
internal static class OnnxSeeds
{
    public static IReadOnlyDictionary<string, byte[]> All() => new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
    {
        ["conv-fixed-batch"] = new OnnxGraphBuilder()
            .Input("images", OnnxElementType.Float, 1, 3, 8, 8)
            .Initializer("w", [.. Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => i * 0.01f)], 2, 3, 3, 3)
            .Initializer("b", [0.5f, -0.5f], 2)
            .Conv("images", "w", "b", "conv", pad: 1)
            .Relu("conv", "relu")
            .Output("relu", OnnxElementType.Float, 1, 2, 8, 8)
            .ToBytes(),
        ["reshape-concat-dynamic"] = new OnnxGraphBuilder()
            .Input("x", OnnxElementType.Float, "batch", 4, 6)
            .Initializer("shape", [0L, -1L], 2)
            .Reshape("x", "shape", "flat")
            .Identity("flat", "flat2")
            .Concat("out", 1, "flat", "flat2")
            .Output("out", OnnxElementType.Float, "batch", 48)
            .Metadata("author", "fuzz-seed")
            .ToBytes(),
        ["add-constant-int64"] = new OnnxGraphBuilder("g", opset: 13)
            .Opset("com.microsoft", 1)
            .Input("a", OnnxElementType.Int64, 2, 3)
            .Constant("c", [1L, 2L, 3L], 3)
            .Add("a", "c", "sum")
            .Output("sum", OnnxElementType.Int64, 2, 3)
            .ToBytes(),
        ["tf-od-api"] = OnnxGraphBuilder.TfOdApi().ToBytes(),
        // Constant folding and the shape rules of the ops detection heads use (shape arithmetic, split, slice,
        // gather, transpose, resize, matmul, softmax), on a dynamic batch.
        ["shape-ops-dynamic"] = new OnnxGraphBuilder(opset: 13)
            .Input("x", OnnxElementType.Float, "batch", 4, 6)
            .Initializer("two", [2L], 1)
            .Initializer("axes0", [0L], 1)
            .Initializer("starts", [1L], 1)
            .Initializer("ends", [3L], 1)
            .Initializer("axes1", [1L], 1)
            .Initializer("split", [2L, 2L], 2)
            .Initializer("idx", [0L, 2L], 2)
            .Initializer("m", [.. Enumerable.Range(0, 6 * 5).Select(i => i * 0.1f)], 6, 5)
            .Node("Shape", ["x"], ["s"])
            .Node("Gather", ["s", "axes1"], ["rows"], OnnxAttribute.Int("axis", 0))
            .Node("Div", ["rows", "two"], ["half"])
            .Node("ConstantOfShape", ["half"], ["zeros"])
            .Node("Range", ["axes0", "rows", "starts"], ["range"])
            .Node("Split", ["x", "split"], ["x0", "x1"], OnnxAttribute.Int("axis", 1))
            .Node("Slice", ["x0", "starts", "ends", "axes1"], ["sl"])
            .Node("Gather", ["x1", "idx"], ["g"], OnnxAttribute.Int("axis", 1))
            .Node("Transpose", ["g"], ["t"], OnnxAttribute.Ints("perm", 0, 2, 1))
            .Node("MatMul", ["x", "m"], ["mm"])
            .Node("Softmax", ["mm"], ["sm"], OnnxAttribute.Int("axis", -1))
            .Node("Unsqueeze", ["sm", "axes1"], ["u"])
            .Node("Tile", ["u", "s"], ["tiled"])
            .Node("Expand", ["sl", "s"], ["ex"])
            .Node("Flatten", ["t"], ["flat"], OnnxAttribute.Int("axis", 1))
            .Output("sm", OnnxElementType.Float, "batch", 4, 5)
            .Output("flat", OnnxElementType.Float, "batch", 12)
            .OutputOfUnknownShape("zeros", OnnxElementType.Float)
            .OutputOfUnknownShape("range", OnnxElementType.Int64)
            .ToBytes(),
    };
}
