namespace RfcnPerf.Onnx;

/// <summary>How an op's compute is counted (2 x multiply-adds); ops without a rule are not counted.</summary>
internal enum FlopKind
{
    /// <summary>Not counted (cheap next to convolutions and matrix products).</summary>
    None,

    /// <summary>Each output element costs prod(W.shape[1..]) multiply-adds.</summary>
    Conv,

    /// <summary>Each input element scatters into prod(W.shape[1..]) outputs.</summary>
    ConvTranspose,

    /// <summary>Each output element costs K multiply-adds (K: A's last axis, or its first when Gemm's transA is set).</summary>
    MatMul,
}
