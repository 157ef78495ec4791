namespace RfcnPerf.Onnx;

/// <summary>What the operator table says about the kernels ONNX Runtime's profiler names (for per-operator profiles).</summary>
public static class OperatorKernels
{
    /// <summary>Whether the kernel does integer arithmetic (compare it with the INT8 peak).</summary>
    public static bool IsInteger(string opType) => OperatorTable.IsIntegerKernel(opType);

    /// <summary>The ONNX operator the kernel computes whatever its precision or fusion (QLinearConv and FusedConv are Conv).</summary>
    public static string Canonical(string opType) => OperatorTable.CanonicalOperator(opType);
}
