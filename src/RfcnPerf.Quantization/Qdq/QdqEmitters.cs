namespace RfcnPerf.Quantization.Qdq;

/// <summary>The emitter of each pattern (the pattern is the op's quantization rule in the operator table, <see cref="QuantOpRules"/>).</summary>
internal static class QdqEmitters
{
    private static readonly IQdqEmitter Conv = new ConvEmitter();
    private static readonly IQdqEmitter Gemm = new GemmEmitter();
    private static readonly IQdqEmitter MatMul = new MatMulEmitter();
    private static readonly IQdqEmitter AllInputs = new ConstantInputsEmitter(firstDataInput: 0);
    private static readonly IQdqEmitter WhereValues = new ConstantInputsEmitter(firstDataInput: 1);
    private static readonly IQdqEmitter ActivationsOnly = new ActivationsOnlyEmitter();

    /// <summary>The emitter that writes <paramref name="pattern"/>.</summary>
    public static IQdqEmitter For(QuantPattern pattern) => pattern switch
    {
        QuantPattern.Conv => Conv,
        QuantPattern.Gemm => Gemm,
        QuantPattern.MatMul => MatMul,
        QuantPattern.Binary or QuantPattern.Variadic => AllInputs,

        // Where's condition (input 0) is bool and stays as it is.
        QuantPattern.Where => WhereValues,
        QuantPattern.Unary or QuantPattern.SharedScale or QuantPattern.FusedActivation => ActivationsOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "no emitter for this pattern"),
    };
}
