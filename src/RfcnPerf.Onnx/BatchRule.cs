namespace RfcnPerf.Onnx;

/// <summary>How an op that reads a batched value is proven to keep images apart (see <see cref="BatchRewriter"/>).</summary>
internal enum BatchRule
{
    /// <summary>Not known to keep images apart: batchify refuses the model rather than guess.</summary>
    Refuse,

    /// <summary>Elementwise (with broadcasting) or pure data movement: images stay apart while the batch stays on one axis.</summary>
    Elementwise,

    /// <summary>Output element (n, ...) reads only input elements of the same n, given the batch is axis 0 of input 0 only.</summary>
    PerImage,

    /// <summary>Reshape: only a batch on axis 0 can be kept (by a leading 0).</summary>
    Reshape,

    /// <summary>Softmax-like: must not normalise across the batch axis (opset-dependent flattening).</summary>
    NormalizeAxis,

    /// <summary>LayerNormalization: its normalised axes must lie after the batch axis.</summary>
    LayerNormalization,

    /// <summary>Concatenation: all data inputs batched on one axis, not concatenated along it.</summary>
    Concat,

    /// <summary>Split: not along the batch axis.</summary>
    Split,

    /// <summary>Gather: not along the batch axis, indices not batched.</summary>
    Gather,

    /// <summary>Reductions, ArgMax/ArgMin, TopK, CumSum: never over the batch axis.</summary>
    Reduce,

    /// <summary>MatMul family: the batch axis is neither contracted nor a right-hand matrix axis.</summary>
    MatMul,

    /// <summary>Gemm: only A's row axis may carry the batch.</summary>
    Gemm,
}
