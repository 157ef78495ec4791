namespace RfcnPerf.Onnx;

/// <summary>
/// Where an op keeps the inputs and axes that the generic rules read, as data in its table entry (so no rule
/// tests an op name): the defaults describe the plain ONNX ops.
/// </summary>
internal sealed record OpLayout
{
    /// <summary>The layout of every op that does not say otherwise.</summary>
    public static OpLayout Default { get; } = new();

    /// <summary>First data input of a variadic op (QLinearConcat: 2, after the output's scale and zero point).</summary>
    public int FirstDataInput { get; init; }

    /// <summary>Inputs per data value (QLinearConcat: 3, a value with its scale and zero point).</summary>
    public int DataInputStride { get; init; } = 1;

    /// <summary>The right-hand matrix input of a MatMul (QLinearMatMul: 3, after A's scale and zero point).</summary>
    public int RightHandInput { get; init; } = 1;

    /// <summary>
    /// Default of the single <c>axis</c> attribute of ops that take one axis (ArgMax/ArgMin: 0, TopK: -1), or null
    /// for ops that take an axes list.
    /// </summary>
    public long? AxisAttributeDefault { get; init; }

    /// <summary>
    /// Opset from which the axes list is input 1 instead of the <c>axes</c> attribute (reductions: 18, ReduceSum: 13,
    /// CumSum: always).
    /// </summary>
    public long AxesInputSinceOpset { get; init; } = 18;

    /// <summary>The indices of the data inputs among <paramref name="inputCount"/> inputs.</summary>
    public IEnumerable<int> DataInputs(int inputCount)
    {
        for (var i = FirstDataInput; i < inputCount; i += DataInputStride)
        {
            yield return i;
        }
    }
}
