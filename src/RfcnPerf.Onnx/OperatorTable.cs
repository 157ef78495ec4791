using System.Collections.Frozen;

namespace RfcnPerf.Onnx;

/// <summary>
/// The one operator table (like onnxruntime's symbolic_shape_infer dispatcher): per op its shape rule, batch
/// rule, FLOP rule and quantization slot. Adding an op is one line here plus its tests; no other file lists op
/// names.
/// </summary>
public static class OperatorTable
{
    private static readonly FrozenDictionary<string, OpRule> Rules = Build();

    /// <summary>Every op the table knows (no particular order).</summary>
    internal static IEnumerable<OpRule> All => Rules.Values;

    /// <summary>The rule of <paramref name="opType"/>, or null when the op is not modelled.</summary>
    internal static OpRule? Find(string opType) => Rules.GetValueOrDefault(opType);

    /// <summary>
    /// The quantization slot of <paramref name="opType"/>: which QDQ pattern ONNX Runtime's CPU provider fuses for
    /// it (<see cref="QdqGroup.Unspecified"/> when the op is not modelled or has none).
    /// </summary>
    public static QdqGroup QuantizationOf(string opType) => Find(opType)?.Quantization ?? QdqGroup.Unspecified;

    /// <summary>The batch rule of <paramref name="opType"/> (<see cref="BatchRule.Refuse"/> when unknown).</summary>
    internal static BatchRule BatchRuleOf(string opType) => Find(opType)?.Batch ?? BatchRule.Refuse;

    /// <summary>The input and axis layout of <paramref name="opType"/> (<see cref="OpLayout.Default"/> when unknown).</summary>
    internal static OpLayout LayoutOf(string opType) => Find(opType)?.Layout ?? OpLayout.Default;

    /// <summary>
    /// Whether the op is an already-quantized operator (QOperator format). Every com.microsoft QLinear* op takes
    /// quantized tensors, including those the table does not model.
    /// </summary>
    public static bool IsQuantizedOperator(string opType) =>
        Find(opType)?.Quantization == QdqGroup.QOperator || opType.StartsWith("QLinear", StringComparison.Ordinal);

    /// <summary>
    /// Whether a kernel ONNX Runtime ran does integer arithmetic (compared with the INT8 peak): the quantized
    /// operators, including ORT's contrib kernels the table does not model (QLinear*, QGemm, MatMulIntegerToFloat,
    /// DynamicQuantizeMatMul).
    /// </summary>
    public static bool IsIntegerKernel(string opType) =>
        IsQuantizedOperator(opType) || opType is "QGemm" or "MatMulIntegerToFloat" or "DynamicQuantizeMatMul";

    /// <summary>Whether a graph holding this op is already quantized (QDQ or QOperator format), so a quantizer must refuse it.</summary>
    public static bool MarksQuantizedGraph(string opType) =>
        Find(opType)?.Quantization == QdqGroup.QuantizeDequantize || IsQuantizedOperator(opType);

    /// <summary>
    /// Whether the kernel moves data without arithmetic in a way ONNX Runtime runs on uint8 once it dropped the
    /// Q/DQ pair around it (the <see cref="QdqGroup.DropQdq"/> ops, under any layout prefix: NhwcMaxPool is MaxPool).
    /// </summary>
    public static bool IsDataMovement(string opType) => Find(CanonicalOperator(opType))?.Quantization == QdqGroup.DropQdq;

    /// <summary>
    /// The ONNX operator a kernel ONNX Runtime ran computes, whatever its precision or fusion, for side-by-side
    /// comparisons: <c>QLinearConv</c>, <c>FusedConv</c>, <c>ConvInteger</c> and <c>Conv</c> are <c>Conv</c>;
    /// <c>QLinearConcat</c> is <c>Concat</c>; <c>NhwcMaxPool</c> is <c>MaxPool</c>.
    /// </summary>
    public static string CanonicalOperator(string opType) =>
        opType.StartsWith("QLinear", StringComparison.Ordinal) ? opType["QLinear".Length..]
        : opType.StartsWith("Fused", StringComparison.Ordinal) ? opType["Fused".Length..]
        : opType.StartsWith("Nhwc", StringComparison.Ordinal) ? opType["Nhwc".Length..]
        : opType is "ConvInteger" ? "Conv"
        : opType is "MatMulInteger" or "MatMulIntegerToFloat" or "DynamicQuantizeMatMul" ? "MatMul"
        : opType;

    private static class Flops
    {
        public static FlopRule Conv(int weightInput, bool integer = false) => new(FlopKind.Conv, weightInput, integer);

        public static readonly FlopRule ConvTranspose = new(FlopKind.ConvTranspose);

        public static readonly FlopRule MatMul = new(FlopKind.MatMul);

        public static readonly FlopRule Gemm = new(FlopKind.MatMul);
    }

    private static FrozenDictionary<string, OpRule> Build()
    {
        var rules = new Dictionary<string, OpRule>(StringComparer.Ordinal);
        void Op(string opType, ShapeRule? shape, BatchRule batch, FlopRule flops = default, QdqGroup quantization = QdqGroup.Unspecified, OpLayout? layout = null) =>
            rules.Add(opType, new OpRule(opType, shape, batch, flops, quantization, layout ?? OpLayout.Default));

        Op("Identity", ShapeInference.IdentityOutputs, BatchRule.Elementwise);
        Op("Dropout", ShapeInference.DropoutOutputs, BatchRule.Elementwise);
        Op("Relu", ShapeInference.SameShapeOutputs, BatchRule.Elementwise, quantization: QdqGroup.FusedActivation);
        Op("Sigmoid", ShapeInference.SameShapeOutputs, BatchRule.Elementwise, quantization: QdqGroup.Unary);
        Op("LeakyRelu", ShapeInference.SameShapeOutputs, BatchRule.Elementwise, quantization: QdqGroup.Unary);
        Op("Tanh", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Exp", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Log", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Sqrt", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Erf", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("HardSigmoid", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("HardSwish", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Softplus", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Softsign", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Elu", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Selu", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Celu", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Clip", ShapeInference.SameShapeOutputs, BatchRule.Elementwise, quantization: QdqGroup.FusedActivation);
        Op("Floor", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Ceil", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Round", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Reciprocal", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Sign", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Softmax", ShapeInference.SameShapeOutputs, BatchRule.NormalizeAxis, quantization: QdqGroup.Unary);
        Op("LogSoftmax", ShapeInference.SameShapeOutputs, BatchRule.NormalizeAxis);
        Op("Hardmax", ShapeInference.SameShapeOutputs, BatchRule.NormalizeAxis);
        Op("BatchNormalization", ShapeInference.SameShapeOutputs, BatchRule.PerImage, quantization: QdqGroup.Normalization);
        Op("InstanceNormalization", ShapeInference.SameShapeOutputs, BatchRule.PerImage, quantization: QdqGroup.Normalization);
        Op("LRN", ShapeInference.SameShapeOutputs, BatchRule.PerImage);
        Op("LayerNormalization", ShapeInference.SameShapeOutputs, BatchRule.LayerNormalization, quantization: QdqGroup.Normalization);
        Op("Gelu", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Mish", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Sin", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Cos", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("ThresholdedRelu", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("CumSum", ShapeInference.SameShapeOutputs, BatchRule.Reduce, layout: new() { AxesInputSinceOpset = 1 });
        Op("Trilu", ShapeInference.SameShapeOutputs, BatchRule.Refuse);
        Op("MeanVarianceNormalization", ShapeInference.SameShapeOutputs, BatchRule.PerImage);
        Op("Shrink", ShapeInference.SameShapeOutputs, BatchRule.Elementwise);
        Op("Neg", ShapeInference.NegAbsOutputs, BatchRule.Elementwise);
        Op("Abs", ShapeInference.NegAbsOutputs, BatchRule.Elementwise);
        Op("Not", ShapeInference.BoolOfSameShapeOutputs, BatchRule.Elementwise);
        Op("IsNaN", ShapeInference.BoolOfSameShapeOutputs, BatchRule.Elementwise);
        Op("IsInf", ShapeInference.BoolOfSameShapeOutputs, BatchRule.Elementwise);
        Op("QLinearSigmoid", ShapeInference.QLinearUnaryOutputs, BatchRule.Elementwise, quantization: QdqGroup.QOperator);
        Op("QLinearLeakyRelu", ShapeInference.QLinearUnaryOutputs, BatchRule.Elementwise, quantization: QdqGroup.QOperator);
        Op("QLinearSoftmax", ShapeInference.QLinearUnaryOutputs, BatchRule.Refuse, quantization: QdqGroup.QOperator);
        Op("Cast", ShapeInference.CastOutputs, BatchRule.Elementwise);
        Op("CastLike", ShapeInference.CastLikeOutputs, BatchRule.Elementwise);
        Op("QuantizeLinear", ShapeInference.QuantizeLinearOutputs, BatchRule.Elementwise, quantization: QdqGroup.QuantizeDequantize);
        Op("DequantizeLinear", ShapeInference.DequantizeLinearOutputs, BatchRule.Elementwise, quantization: QdqGroup.QuantizeDequantize);
        Op("DynamicQuantizeLinear", ShapeInference.DynamicQuantizeLinearOutputs, BatchRule.Refuse, quantization: QdqGroup.QuantizeDequantize);
        Op("Add", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise, quantization: QdqGroup.Binary);
        Op("Sub", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise);
        Op("Mul", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise, quantization: QdqGroup.Binary);
        Op("Div", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise);
        Op("Pow", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise);
        Op("Mod", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise);
        Op("PRelu", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise);
        Op("BitShift", ShapeInference.ArithmeticOutputs, BatchRule.Elementwise);
        Op("Equal", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("Less", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("Greater", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("LessOrEqual", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("GreaterOrEqual", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("And", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("Or", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("Xor", ShapeInference.ComparisonOutputs, BatchRule.Elementwise);
        Op("Max", ShapeInference.VariadicOutputs, BatchRule.Elementwise);
        Op("Min", ShapeInference.VariadicOutputs, BatchRule.Elementwise);
        Op("Sum", ShapeInference.VariadicOutputs, BatchRule.Elementwise);
        Op("Mean", ShapeInference.VariadicOutputs, BatchRule.Elementwise);
        Op("Where", ShapeInference.WhereOutputs, BatchRule.Elementwise, quantization: QdqGroup.Where);
        Op("QLinearAdd", ShapeInference.QLinearBinaryOutputs, BatchRule.Elementwise, quantization: QdqGroup.QOperator);
        Op("QLinearMul", ShapeInference.QLinearBinaryOutputs, BatchRule.Elementwise, quantization: QdqGroup.QOperator);
        Op("Concat", ShapeInference.ConcatOutputs, BatchRule.Concat, quantization: QdqGroup.Variadic);
        Op("QLinearConcat", ShapeInference.QLinearConcatOutputs, BatchRule.Concat, quantization: QdqGroup.QOperator, layout: new() { FirstDataInput = 2, DataInputStride = 3 });
        Op("Split", ShapeInference.SplitOutputs, BatchRule.Split, quantization: QdqGroup.DropQdq);
        Op("Slice", ShapeInference.SliceOutputs, BatchRule.Elementwise, quantization: QdqGroup.DropQdq);
        Op("Reshape", ShapeInference.ReshapeOutputs, BatchRule.Reshape, quantization: QdqGroup.DropQdq);
        Op("Flatten", ShapeInference.FlattenOutputs, BatchRule.Elementwise, quantization: QdqGroup.DropQdq);
        Op("Transpose", ShapeInference.TransposeOutputs, BatchRule.Elementwise, quantization: QdqGroup.DropQdq);
        Op("Squeeze", ShapeInference.SqueezeOutputs, BatchRule.Elementwise, quantization: QdqGroup.DropQdq);
        Op("Unsqueeze", ShapeInference.UnsqueezeOutputs, BatchRule.Elementwise, quantization: QdqGroup.DropQdq);
        Op("Resize", ShapeInference.ResizeOutputs, BatchRule.PerImage, quantization: QdqGroup.DropQdq);
        Op("Upsample", ShapeInference.UpsampleOutputs, BatchRule.PerImage);
        Op("Conv", ShapeInference.ConvOrIntegerOutputs, BatchRule.PerImage, flops: Flops.Conv(weightInput: 1), quantization: QdqGroup.Conv);
        Op("ConvInteger", ShapeInference.ConvOrIntegerOutputs, BatchRule.PerImage, flops: Flops.Conv(weightInput: 1, integer: true), quantization: QdqGroup.QOperator);
        Op("QLinearConv", ShapeInference.QLinearConvOutputs, BatchRule.PerImage, flops: Flops.Conv(weightInput: 3, integer: true), quantization: QdqGroup.QOperator);
        Op("ConvTranspose", ShapeInference.ConvTransposeOutputs, BatchRule.PerImage, flops: Flops.ConvTranspose);
        Op("MaxPool", ShapeInference.PoolOutputs, BatchRule.PerImage, quantization: QdqGroup.DropQdq);
        Op("AveragePool", ShapeInference.PoolOutputs, BatchRule.PerImage, quantization: QdqGroup.Unary);
        Op("LpPool", ShapeInference.PoolOutputs, BatchRule.PerImage);
        Op("QLinearAveragePool", ShapeInference.PoolOutputs, BatchRule.PerImage, quantization: QdqGroup.QOperator);
        Op("GlobalAveragePool", ShapeInference.GlobalPoolOutputs, BatchRule.PerImage, quantization: QdqGroup.Unary);
        Op("GlobalMaxPool", ShapeInference.GlobalPoolOutputs, BatchRule.PerImage);
        Op("GlobalLpPool", ShapeInference.GlobalPoolOutputs, BatchRule.PerImage);
        Op("QLinearGlobalAveragePool", ShapeInference.GlobalPoolOutputs, BatchRule.PerImage, quantization: QdqGroup.QOperator);
        Op("MatMul", ShapeInference.MatMulOrIntegerOutputs, BatchRule.MatMul, flops: Flops.MatMul, quantization: QdqGroup.MatMul);
        Op("MatMulInteger", ShapeInference.MatMulOrIntegerOutputs, BatchRule.MatMul, flops: Flops.MatMul with { Integer = true }, quantization: QdqGroup.QOperator);
        Op("QLinearMatMul", ShapeInference.QLinearMatMulOutputs, BatchRule.MatMul, flops: Flops.MatMul with { Integer = true }, quantization: QdqGroup.QOperator, layout: new() { RightHandInput = 3 });
        Op("Gemm", ShapeInference.GemmOutputs, BatchRule.Gemm, flops: Flops.Gemm, quantization: QdqGroup.Gemm);
        Op("Shape", ShapeInference.ShapeOutputs, BatchRule.Elementwise);
        Op("Size", ShapeInference.SizeOutputs, BatchRule.Elementwise);
        Op("Gather", ShapeInference.GatherOutputs, BatchRule.Gather, quantization: QdqGroup.DropQdq);
        Op("Constant", ShapeInference.ConstantOutputs, BatchRule.Refuse);
        Op("ConstantOfShape", ShapeInference.ConstantOfShapeOutputs, BatchRule.Refuse);
        Op("Expand", ShapeInference.ExpandOutputs, BatchRule.Elementwise, quantization: QdqGroup.DropQdq);
        Op("Range", ShapeInference.RangeOutputs, BatchRule.Refuse);
        Op("Tile", ShapeInference.TileOutputs, BatchRule.Elementwise, quantization: QdqGroup.DropQdq);
        Op("Pad", ShapeInference.PadOutputs, BatchRule.Elementwise);
        Op("ReduceMean", ShapeInference.ReduceOutputs, BatchRule.Reduce);
        Op("ReduceSum", ShapeInference.ReduceOutputs, BatchRule.Reduce, layout: new() { AxesInputSinceOpset = 13 });
        Op("ReduceMax", ShapeInference.ReduceOutputs, BatchRule.Reduce, quantization: QdqGroup.DropQdq);
        Op("ReduceMin", ShapeInference.ReduceOutputs, BatchRule.Reduce, quantization: QdqGroup.DropQdq);
        Op("ReduceProd", ShapeInference.ReduceOutputs, BatchRule.Reduce);
        Op("ReduceL1", ShapeInference.ReduceOutputs, BatchRule.Reduce);
        Op("ReduceL2", ShapeInference.ReduceOutputs, BatchRule.Reduce);
        Op("ReduceLogSum", ShapeInference.ReduceOutputs, BatchRule.Reduce);
        Op("ReduceLogSumExp", ShapeInference.ReduceOutputs, BatchRule.Reduce);
        Op("ReduceSumSquare", ShapeInference.ReduceOutputs, BatchRule.Reduce);
        Op("ArgMax", ShapeInference.ArgReduceOutputs, BatchRule.Reduce, quantization: QdqGroup.DropDq, layout: new() { AxisAttributeDefault = 0 });
        Op("ArgMin", ShapeInference.ArgReduceOutputs, BatchRule.Reduce, quantization: QdqGroup.DropDq, layout: new() { AxisAttributeDefault = 0 });
        Op("TopK", ShapeInference.TopKOutputs, BatchRule.Reduce, layout: new() { AxisAttributeDefault = -1 });
        Op("DepthToSpace", ShapeInference.DepthSpaceOutputs, BatchRule.PerImage);
        Op("SpaceToDepth", ShapeInference.DepthSpaceOutputs, BatchRule.PerImage);

        return rules.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
