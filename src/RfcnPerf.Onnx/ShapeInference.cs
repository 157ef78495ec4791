using RfcnPerf.Onnx.Proto;
using static RfcnPerf.Onnx.NodeAttributes;

namespace RfcnPerf.Onnx;

/// <summary>
/// Static shape inference for one node at a time, with constant folding of the small integer tensors
/// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) that exporters use to compute shapes. Shapes are
/// either fully known or unknown: the callers (FLOP counting at a bound batch size, the batch-safety
/// analysis at batch 1 and 2) always bind every graph input dimension first.
/// </summary>
/// <remarks>
/// Semantics follow the ONNX operator specification for the opsets in use (opset 7 onwards); where an op
/// changed between opsets (Split, Squeeze/Unsqueeze, Slice, Resize, Reduce*) both forms are read. Ops that
/// are not modelled, or whose output depends on data (NonZero, NonMaxSuppression), yield unknown outputs:
/// inference is best effort and the callers report what stayed unresolved instead of guessing.
/// </remarks>
internal static class ShapeInference
{
    /// <summary>
    /// Infers the outputs of <paramref name="node"/> from its inputs' facts (null: unknown, or an optional
    /// input left empty). <paramref name="opset"/> is the default-domain opset version of the model.
    /// </summary>
    public static TensorFacts?[] Infer(NodeProto node, IReadOnlyList<TensorFacts?> inputs, long opset)
    {
        var outputs = new TensorFacts?[node.Output.Count];
        try
        {
            InferCore(node, inputs, opset, outputs);
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or InvalidOperationException
                                       or OverflowException or DivideByZeroException)
        {
            // Attributes or constants inconsistent with the shapes (an axis out of range, a short split list):
            // leave the outputs unknown rather than fail a whole report; ONNX Runtime is the authority on
            // whether the model is valid, and callers report what stayed unresolved.
            Array.Clear(outputs);
        }

        return outputs;
    }

    private static void InferCore(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        // Ops the table does not model (or whose output is data dependent, e.g. NonZero) stay unknown.
        OperatorTable.Find(node.OpType)?.Shape?.Invoke(node, x, opset, y);
    }

    private static TensorFacts? In(IReadOnlyList<TensorFacts?> x, int i) => i < x.Count ? x[i] : null;

    /// <summary>Output facts of Identity.</summary>
    internal static void IdentityOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = a;
    }

    /// <summary>Output facts of Dropout.</summary>
    internal static void DropoutOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = a;
        if (y.Length > 1 && a?.Shape is not null)
        {
            y[1] = new TensorFacts((int)OnnxElementType.Bool, a.Shape);
        }
    }

    /// <summary>Output facts of Relu and the ops the table maps to the same rule.</summary>
    internal static void SameShapeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Same(a);
    }

    /// <summary>Output facts of Neg and the ops the table maps to the same rule.</summary>
    internal static void NegAbsOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = a?.Ints is not null
            ? new TensorFacts(a.ElemType, a.Shape, a.Ints.Select(v => node.OpType == "Neg" ? -v : Math.Abs(v)).ToArray())
            : Same(a);
    }

    /// <summary>Output facts of Not and the ops the table maps to the same rule.</summary>
    internal static void BoolOfSameShapeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = a?.Shape is null ? null : new TensorFacts((int)OnnxElementType.Bool, a.Shape);
    }

    /// <summary>Output facts of QLinearSigmoid and the ops the table maps to the same rule.</summary>
    internal static void QLinearUnaryOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        // com.microsoft: X, X_scale, X_zero_point, Y_scale, Y_zero_point; Y has X's shape.
        y[0] = a?.Shape is null ? null : new TensorFacts(In(x, 4)?.ElemType ?? a.ElemType, a.Shape);
    }

    /// <summary>Output facts of Cast.</summary>
    internal static void CastOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Cast(a, (int)Int(node, "to", 0));
    }

    /// <summary>Output facts of CastLike.</summary>
    internal static void CastLikeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Cast(a, In(x, 1)?.ElemType ?? 0);
    }

    /// <summary>Output facts of QuantizeLinear.</summary>
    internal static void QuantizeLinearOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        var type = In(x, 2)?.ElemType ?? (int)Int(node, "output_dtype", (int)OnnxElementType.UInt8);
        y[0] = a?.Shape is null ? null : new TensorFacts(type == 0 ? (int)OnnxElementType.UInt8 : type, a.Shape);
    }

    /// <summary>Output facts of DequantizeLinear.</summary>
    internal static void DequantizeLinearOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = a?.Shape is null ? null : new TensorFacts(In(x, 1)?.ElemType ?? (int)OnnxElementType.Float, a.Shape);
    }

    /// <summary>Output facts of DynamicQuantizeLinear.</summary>
    internal static void DynamicQuantizeLinearOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is not null)
        {
            y[0] = new TensorFacts((int)OnnxElementType.UInt8, a.Shape);
            y[1] = new TensorFacts((int)OnnxElementType.Float, []);
            y[2] = new TensorFacts((int)OnnxElementType.UInt8, []);
        }
    }

    /// <summary>Output facts of Add and the ops the table maps to the same rule.</summary>
    internal static void ArithmeticOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Binary(node.OpType, a, In(x, 1));
    }

    /// <summary>Output facts of Equal and the ops the table maps to the same rule.</summary>
    internal static void ComparisonOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        var s = Broadcast(a?.Shape, In(x, 1)?.Shape);
        y[0] = s is null ? null : new TensorFacts((int)OnnxElementType.Bool, s);
    }

    /// <summary>Output facts of Max and the ops the table maps to the same rule.</summary>
    internal static void VariadicOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        var s = a?.Shape;
        for (var i = 1; i < x.Count; i++)
        {
            s = Broadcast(s, In(x, i)?.Shape);
        }

        y[0] = s is null ? null : new TensorFacts(a!.ElemType, s);
    }

    /// <summary>Output facts of Where.</summary>
    internal static void WhereOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        var s = Broadcast(Broadcast(a?.Shape, In(x, 1)?.Shape), In(x, 2)?.Shape);
        y[0] = s is null || In(x, 1) is null ? null : new TensorFacts(In(x, 1)!.ElemType, s);
    }

    /// <summary>Output facts of QLinearAdd and the ops the table maps to the same rule.</summary>
    internal static void QLinearBinaryOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        // com.microsoft: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp.
        var s = Broadcast(a?.Shape, In(x, 3)?.Shape);
        y[0] = s is null ? null : new TensorFacts(In(x, 7)?.ElemType ?? a!.ElemType, s);
    }

    /// <summary>Output facts of Concat.</summary>
    internal static void ConcatOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Concat(x.ToArray(), (int)Int(node, "axis", 0), a?.ElemType ?? 0);
    }

    /// <summary>Output facts of QLinearConcat.</summary>
    internal static void QLinearConcatOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        // com.microsoft: Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per input.
        var data = new List<TensorFacts?>();
        for (var i = 2; i < x.Count; i += 3)
        {
            data.Add(In(x, i));
        }

        y[0] = Concat(data.ToArray(), (int)Int(node, "axis", 0), In(x, 1)?.ElemType ?? data[0]?.ElemType ?? 0);
    }

    /// <summary>Output facts of Split.</summary>
    internal static void SplitOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        Split(node, a, In(x, 1), opset, y);
    }

    /// <summary>Output facts of Slice.</summary>
    internal static void SliceOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        y[0] = Slice(node, x, opset);
    }

    /// <summary>Output facts of Reshape.</summary>
    internal static void ReshapeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Reshape(a, opset < 5 ? Ints(node, "shape") : In(x, 1)?.Ints, Int(node, "allowzero", 0) != 0);
    }

    /// <summary>Output facts of Flatten.</summary>
    internal static void FlattenOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is not null)
        {
            var axis = Axis(Int(node, "axis", 1), a.Rank + 1);
            y[0] = new TensorFacts(a.ElemType, [TensorFacts.Product(a.Shape.AsSpan(0, axis)), TensorFacts.Product(a.Shape.AsSpan(axis))], a.Ints);
        }
    }

    /// <summary>Output facts of Transpose.</summary>
    internal static void TransposeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Transpose(a, Ints(node, "perm"));
    }

    /// <summary>Output facts of Squeeze.</summary>
    internal static void SqueezeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Squeeze(a, opset >= 13 ? In(x, 1)?.Ints ?? (In(x, 1) is null ? null : []) : Ints(node, "axes"), opset >= 13 && In(x, 1) is not null);
    }

    /// <summary>Output facts of Unsqueeze.</summary>
    internal static void UnsqueezeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Unsqueeze(a, opset >= 13 ? In(x, 1)?.Ints : Ints(node, "axes"));
    }

    /// <summary>Output facts of Resize.</summary>
    internal static void ResizeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        y[0] = Resize(node, x, opset);
    }

    /// <summary>Output facts of Upsample.</summary>
    internal static void UpsampleOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        var scales = opset >= 9 ? In(x, 1)?.Floats : Floats(node, "scales")?.Select(f => (double)f).ToArray();
        y[0] = ScaleShape(a, scales);
    }

    /// <summary>Output facts of Conv and the ops the table maps to the same rule.</summary>
    internal static void ConvOrIntegerOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Conv(node, a, In(x, 1), node.OpType == "ConvInteger" ? (int)OnnxElementType.Int32 : a?.ElemType ?? 0);
    }

    /// <summary>Output facts of QLinearConv.</summary>
    internal static void QLinearConvOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
        y[0] = Conv(node, a, In(x, 3), In(x, 7)?.ElemType ?? a?.ElemType ?? 0);
    }

    /// <summary>Output facts of ConvTranspose.</summary>
    internal static void ConvTransposeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = ConvTranspose(node, a, In(x, 1));
    }

    /// <summary>Output facts of MaxPool and the ops the table maps to the same rule.</summary>
    internal static void PoolOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Pool(node, a, node.OpType == "QLinearAveragePool" ? In(x, 4)?.ElemType ?? a?.ElemType ?? 0 : a?.ElemType ?? 0);
        if (y.Length > 1 && y[0]?.Shape is { } ps)
        {
            y[1] = new TensorFacts((int)OnnxElementType.Int64, ps);
        }
    }

    /// <summary>Output facts of GlobalAveragePool and the ops the table maps to the same rule.</summary>
    internal static void GlobalPoolOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is not null)
        {
            var channelsLast = Int(node, "channels_last", 0) != 0;
            var s = (long[])a.Shape.Clone();
            for (var i = channelsLast ? 1 : 2; i < s.Length - (channelsLast ? 1 : 0); i++)
            {
                s[i] = 1;
            }

            y[0] = new TensorFacts(node.OpType == "QLinearGlobalAveragePool" ? In(x, 4)?.ElemType ?? a.ElemType : a.ElemType, s);
        }
    }

    /// <summary>Output facts of MatMul and the ops the table maps to the same rule.</summary>
    internal static void MatMulOrIntegerOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = MatMul(a, In(x, 1), node.OpType == "MatMulInteger" ? (int)OnnxElementType.Int32 : a?.ElemType ?? 0);
    }

    /// <summary>Output facts of QLinearMatMul.</summary>
    internal static void QLinearMatMulOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point.
        y[0] = MatMul(a, In(x, 3), In(x, 7)?.ElemType ?? a?.ElemType ?? 0);
    }

    /// <summary>Output facts of Gemm.</summary>
    internal static void GemmOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is { Length: 2 } && In(x, 1)?.Shape is { Length: 2 } b)
        {
            var m = Int(node, "transA", 0) != 0 ? a.Shape[1] : a.Shape[0];
            var n = Int(node, "transB", 0) != 0 ? b[0] : b[1];
            y[0] = new TensorFacts(a.ElemType, [m, n]);
        }
    }

    /// <summary>Output facts of Shape.</summary>
    internal static void ShapeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is not null)
        {
            var start = Clamp(Int(node, "start", 0), a.Rank);
            var end = Clamp(Int(node, "end", a.Rank), a.Rank);
            var dims = a.Shape[start..Math.Max(start, end)];
            y[0] = new TensorFacts((int)OnnxElementType.Int64, [dims.Length], dims);
        }
    }

    /// <summary>Output facts of Size.</summary>
    internal static void SizeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is not null)
        {
            y[0] = new TensorFacts((int)OnnxElementType.Int64, [], [a.ElementCount]);
        }
    }

    /// <summary>Output facts of Gather.</summary>
    internal static void GatherOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Gather(a, In(x, 1), Int(node, "axis", 0));
    }

    /// <summary>Output facts of Constant.</summary>
    internal static void ConstantOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        y[0] = Constant(node);
    }

    /// <summary>Output facts of ConstantOfShape.</summary>
    internal static void ConstantOfShapeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = ConstantOfShape(node, a);
    }

    /// <summary>Output facts of Expand.</summary>
    internal static void ExpandOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        var s = a?.Shape is null || In(x, 1)?.Ints is null ? null : Broadcast(a.Shape, In(x, 1)!.Ints);
        y[0] = s is null ? null : new TensorFacts(a!.ElemType, s);
    }

    /// <summary>Output facts of Range.</summary>
    internal static void RangeOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Range(a, In(x, 1), In(x, 2));
    }

    /// <summary>Output facts of Tile.</summary>
    internal static void TileOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is not null && In(x, 1)?.Ints is { } reps && reps.Length == a.Rank)
        {
            y[0] = new TensorFacts(a.ElemType, a.Shape.Select((d, i) => d * reps[i]).ToArray());
        }
    }

    /// <summary>Output facts of Pad.</summary>
    internal static void PadOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Pad(node, a, opset < 11 ? Ints(node, "pads") : In(x, 1)?.Ints, opset >= 18 ? In(x, 3)?.Ints : null);
    }

    /// <summary>Output facts of ReduceMean and the ops the table maps to the same rule.</summary>
    internal static void ReduceOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        var axesFromInput = node.OpType == "ReduceSum" ? opset >= 13 : opset >= 18;
        var axes = axesFromInput ? In(x, 1)?.Ints : Ints(node, "axes");
        if (axesFromInput && In(x, 1) is not null && In(x, 1)!.Ints is null)
        {
            return; // computed axes
        }

        y[0] = Reduce(a, axes, Int(node, "keepdims", 1) != 0, Int(node, "noop_with_empty_axes", 0) != 0, a?.ElemType ?? 0);
    }

    /// <summary>Output facts of ArgMax and the ops the table maps to the same rule.</summary>
    internal static void ArgReduceOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        y[0] = Reduce(a, [Int(node, "axis", 0)], Int(node, "keepdims", 1) != 0, false, (int)OnnxElementType.Int64);
    }

    /// <summary>Output facts of TopK.</summary>
    internal static void TopKOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is not null)
        {
            var k = opset >= 10 ? In(x, 1)?.Ints?[0] : Int(node, "k", -1);
            if (k is null or < 0)
            {
                return;
            }

            var s = (long[])a.Shape.Clone();
            s[Axis(Int(node, "axis", -1), a.Rank)] = k.Value;
            y[0] = new TensorFacts(a.ElemType, s);
            y[1] = new TensorFacts((int)OnnxElementType.Int64, s);
        }
    }

    /// <summary>Output facts of DepthToSpace and the ops the table maps to the same rule.</summary>
    internal static void DepthSpaceOutputs(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset, TensorFacts?[] y)
    {
        var a = In(x, 0);
        if (a?.Shape is { Length: 4 } d4)
        {
            var bs = Int(node, "blocksize", 1);
            y[0] = node.OpType == "DepthToSpace"
                ? new TensorFacts(a.ElemType, [d4[0], d4[1] / (bs * bs), d4[2] * bs, d4[3] * bs])
                : new TensorFacts(a.ElemType, [d4[0], d4[1] * bs * bs, d4[2] / bs, d4[3] / bs]);
        }
    }

    private static TensorFacts? Same(TensorFacts? a) => a?.Shape is null ? null : new TensorFacts(a.ElemType, a.Shape);

    private static int Axis(long axis, int rank)
    {
        var r = axis < 0 ? axis + rank : axis;
        if (r < 0 || r >= rank)
        {
            throw new ArgumentException($"axis {axis} out of range for rank {rank}");
        }

        return (int)r;
    }

    private static int Clamp(long index, int rank)
    {
        var r = index < 0 ? index + rank : index;
        return (int)Math.Clamp(r, 0, rank);
    }

    private static TensorFacts? Cast(TensorFacts? a, int to)
    {
        if (a?.Shape is null || to == 0)
        {
            return null;
        }

        if (ElementTypes.IsInteger(to))
        {
            var ints = a.Ints ?? a.Floats?.Select(v => (long)v).ToArray();
            return new TensorFacts(to, a.Shape, ints);
        }

        if (ElementTypes.IsFloat(to))
        {
            var floats = a.Floats ?? a.Ints?.Select(v => (double)v).ToArray();
            return new TensorFacts(to, a.Shape, null, floats);
        }

        return new TensorFacts(to, a.Shape);
    }

    /// <summary>Numpy (multidirectional) broadcasting; null when either shape is unknown or they conflict.</summary>
    internal static long[]? Broadcast(long[]? a, long[]? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        var rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                return null;
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    private static TensorFacts? Binary(string op, TensorFacts? a, TensorFacts? b)
    {
        var shape = Broadcast(a?.Shape, b?.Shape);
        if (shape is null)
        {
            return null;
        }

        var count = TensorFacts.Product(shape);
        if (count <= TensorFacts.MaxFoldedElements)
        {
            if (a!.Ints is not null && b!.Ints is not null)
            {
                Func<long, long, long>? f = op switch
                {
                    "Add" => (p, q) => p + q,
                    "Sub" => (p, q) => p - q,
                    "Mul" => (p, q) => p * q,
                    "Div" => (p, q) => p / q,
                    _ => null,
                };
                if (f is not null)
                {
                    return new TensorFacts(a.ElemType, shape, BroadcastApply(a.Ints, a.Shape!, b.Ints, b.Shape!, shape, f));
                }
            }

            var fa = a.Floats;
            if (fa is not null && b!.Floats is not null)
            {
                Func<double, double, double>? f = op switch
                {
                    "Add" => (p, q) => p + q,
                    "Sub" => (p, q) => p - q,
                    "Mul" => (p, q) => p * q,
                    "Div" => (p, q) => p / q,
                    _ => null,
                };
                if (f is not null)
                {
                    return new TensorFacts(a.ElemType, shape, null, BroadcastApply(fa, a.Shape!, b.Floats, b.Shape!, shape, f));
                }
            }
        }

        return new TensorFacts(a!.ElemType, shape);
    }

    private static T[] BroadcastApply<T>(T[] a, long[] sa, T[] b, long[] sb, long[] shape, Func<T, T, T> f)
    {
        var count = (int)TensorFacts.Product(shape);
        var result = new T[count];
        var rank = shape.Length;
        var index = new long[rank];
        for (var n = 0; n < count; n++)
        {
            var rem = (long)n;
            for (var i = rank - 1; i >= 0; i--)
            {
                index[i] = rem % shape[i];
                rem /= shape[i];
            }

            result[n] = f(a[Offset(index, sa)], b[Offset(index, sb)]);
        }

        return result;
    }

    private static int Offset(long[] index, long[] shape)
    {
        long offset = 0;
        var shift = index.Length - shape.Length;
        for (var i = 0; i < shape.Length; i++)
        {
            offset = (offset * shape[i]) + (shape[i] == 1 ? 0 : index[i + shift]);
        }

        return (int)offset;
    }

    private static TensorFacts? Concat(TensorFacts?[] parts, int axisAttr, int elemType)
    {
        if (parts.Length == 0 || parts.Any(p => p?.Shape is null))
        {
            return null;
        }

        var first = parts[0]!.Shape!;
        var axis = Axis(axisAttr, first.Length);
        var shape = (long[])first.Clone();
        shape[axis] = parts.Sum(p => p!.Shape![axis]);
        long[]? ints = null;
        if (first.Length == 1 && parts.All(p => p!.Ints is not null))
        {
            ints = parts.SelectMany(p => p!.Ints!).ToArray();
        }

        return new TensorFacts(elemType, shape, ints);
    }

    private static void Split(NodeProto node, TensorFacts? a, TensorFacts? splitInput, long opset, TensorFacts?[] y)
    {
        if (a?.Shape is null)
        {
            return;
        }

        var axis = Axis(Int(node, "axis", 0), a.Rank);
        var dim = a.Shape[axis];
        var splits = opset >= 13 ? splitInput?.Ints : Ints(node, "split");
        if (opset >= 13 && splitInput is not null && splits is null)
        {
            return; // computed split sizes
        }

        if (splits is null)
        {
            var n = y.Length;
            if (opset >= 18)
            {
                // Opset 18: chunks of ceil(dim / n), the last one smaller.
                var chunk = (dim + n - 1) / n;
                splits = Enumerable.Range(0, n).Select(i => Math.Min(chunk, Math.Max(0, dim - (i * chunk)))).ToArray();
            }
            else
            {
                splits = Enumerable.Repeat(dim / n, n).ToArray();
            }
        }

        for (var i = 0; i < y.Length && i < splits.Length; i++)
        {
            var s = (long[])a.Shape.Clone();
            s[axis] = splits[i];
            y[i] = new TensorFacts(a.ElemType, s);
        }
    }

    private static TensorFacts? Slice(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset)
    {
        var a = x[0];
        if (a?.Shape is null)
        {
            return null;
        }

        long[]? starts, ends, axes, steps;
        if (opset < 10)
        {
            starts = Ints(node, "starts");
            ends = Ints(node, "ends");
            axes = Ints(node, "axes");
            steps = null;
        }
        else
        {
            starts = x.Count > 1 ? x[1]?.Ints : null;
            ends = x.Count > 2 ? x[2]?.Ints : null;
            axes = x.Count > 3 && x[3] is not null ? x[3]!.Ints ?? throw new ArgumentException("computed axes") : null;
            steps = x.Count > 4 && x[4] is not null ? x[4]!.Ints ?? throw new ArgumentException("computed steps") : null;
        }

        if (starts is null || ends is null)
        {
            return null;
        }

        var shape = (long[])a.Shape.Clone();
        var begin = new long[shape.Length];
        var step = Enumerable.Repeat(1L, shape.Length).ToArray();
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = Axis(axes?[i] ?? i, shape.Length);
            var dim = a.Shape[axis];
            var st = steps?[i] ?? 1;
            var s = starts[i] < 0 ? starts[i] + dim : starts[i];
            var e = ends[i] < 0 ? ends[i] + dim : ends[i];
            long len;
            if (st > 0)
            {
                s = Math.Clamp(s, 0, dim);
                e = Math.Clamp(e, 0, dim);
                len = Math.Max(0, (e - s + st - 1) / st);
            }
            else
            {
                s = Math.Clamp(s, 0, dim - 1);
                e = Math.Clamp(e, -1, dim - 1);
                len = Math.Max(0, (s - e + (-st) - 1) / -st);
            }

            shape[axis] = len;
            begin[axis] = s;
            step[axis] = st;
        }

        long[]? ints = null;
        if (a.Ints is not null && a.Rank == 1)
        {
            ints = new long[shape[0]];
            for (var i = 0; i < ints.Length; i++)
            {
                ints[i] = a.Ints[begin[0] + (i * step[0])];
            }
        }

        return new TensorFacts(a.ElemType, shape, ints);
    }

    /// <summary>Reshape semantics: 0 copies the input dimension (unless allowzero), -1 is inferred.</summary>
    internal static TensorFacts? Reshape(TensorFacts? a, long[]? target, bool allowZero)
    {
        if (a?.Shape is null || target is null)
        {
            return null;
        }

        var shape = new long[target.Length];
        var inferred = -1;
        long known = 1;
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] == 0 && !allowZero)
            {
                shape[i] = a.Shape[i];
            }
            else if (target[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException("two -1 in Reshape");
                }

                inferred = i;
                continue;
            }
            else
            {
                shape[i] = target[i];
            }

            known *= shape[i];
        }

        var total = a.ElementCount;
        if (inferred >= 0)
        {
            if (known == 0 || total % known != 0)
            {
                throw new ArgumentException("Reshape cannot infer -1");
            }

            shape[inferred] = total / known;
        }
        else if (known != total)
        {
            throw new ArgumentException("Reshape changes the element count");
        }

        return new TensorFacts(a.ElemType, shape, a.Ints, a.Floats);
    }

    private static TensorFacts? Transpose(TensorFacts? a, long[]? perm)
    {
        if (a?.Shape is null)
        {
            return null;
        }

        perm ??= Enumerable.Range(0, a.Rank).Reverse().Select(i => (long)i).ToArray();
        return new TensorFacts(a.ElemType, perm.Select(p => a.Shape[p]).ToArray());
    }

    private static TensorFacts? Squeeze(TensorFacts? a, long[]? axes, bool axesGiven)
    {
        if (a?.Shape is null || (axesGiven && axes is null))
        {
            return null;
        }

        var drop = axes is { Length: > 0 }
            ? axes.Select(ax => Axis(ax, a.Rank)).ToHashSet()
            : Enumerable.Range(0, a.Rank).Where(i => a.Shape[i] == 1).ToHashSet();
        return new TensorFacts(a.ElemType, a.Shape.Where((_, i) => !drop.Contains(i)).ToArray(), a.Ints, a.Floats);
    }

    private static TensorFacts? Unsqueeze(TensorFacts? a, long[]? axes)
    {
        if (a?.Shape is null || axes is null)
        {
            return null;
        }

        var rank = a.Rank + axes.Length;
        var insert = axes.Select(ax => Axis(ax, rank)).ToHashSet();
        var shape = new long[rank];
        var src = 0;
        for (var i = 0; i < rank; i++)
        {
            shape[i] = insert.Contains(i) ? 1 : a.Shape[src++];
        }

        return new TensorFacts(a.ElemType, shape, a.Ints, a.Floats);
    }

    private static TensorFacts? Resize(NodeProto node, IReadOnlyList<TensorFacts?> x, long opset)
    {
        var a = x[0];
        if (a?.Shape is null)
        {
            return null;
        }

        if (opset < 11)
        {
            return ScaleShape(a, x.Count > 1 ? x[1]?.Floats : null);
        }

        // Opset 11+: X, roi, scales, sizes; exactly one of scales/sizes is non-empty.
        var scales = x.Count > 2 ? x[2] : null;
        var sizes = x.Count > 3 ? x[3] : null;
        var axes = Ints(node, "axes");
        if (sizes is not null && sizes.ElementCount > 0)
        {
            if (sizes.Ints is null || Ints(node, "keep_aspect_ratio_policy") is not null ||
                String(node, "keep_aspect_ratio_policy", "stretch") != "stretch")
            {
                return null;
            }

            var shape = (long[])a.Shape.Clone();
            for (var i = 0; i < sizes.Ints.Length; i++)
            {
                shape[axes is null ? i : Axis(axes[i], a.Rank)] = sizes.Ints[i];
            }

            return new TensorFacts(a.ElemType, shape);
        }

        if (scales?.Floats is null)
        {
            return null;
        }

        if (axes is null)
        {
            return ScaleShape(a, scales.Floats);
        }

        var full = Enumerable.Repeat(1.0, a.Rank).ToArray();
        for (var i = 0; i < axes.Length; i++)
        {
            full[Axis(axes[i], a.Rank)] = scales.Floats[i];
        }

        return ScaleShape(a, full);
    }

    /// <summary>Resize/Upsample by scales: floor(dim * scale), as ONNX specifies.</summary>
    private static TensorFacts? ScaleShape(TensorFacts? a, double[]? scales)
    {
        if (a?.Shape is null || scales is null || scales.Length != a.Rank)
        {
            return null;
        }

        // Scales are stored as float32: evaluate the product in float32 too, like the runtimes do.
        return new TensorFacts(a.ElemType, a.Shape.Select((d, i) => (long)Math.Floor((float)d * (float)scales[i])).ToArray());
    }

    private static long[] SpatialAttr(NodeProto node, string name, int n, long fallback) =>
        Ints(node, name) is { } v && v.Length == n ? v : Enumerable.Repeat(fallback, n).ToArray();

    private static TensorFacts? Conv(NodeProto node, TensorFacts? x, TensorFacts? w, int elemType)
    {
        if (x?.Shape is null || w?.Shape is null || x.Rank < 3)
        {
            return null;
        }

        var n = x.Rank - 2;
        var kernel = Ints(node, "kernel_shape") ?? w.Shape[2..];
        var spatial = Windowed(node, x.Shape[2..], kernel, ceilMode: false);
        return new TensorFacts(elemType, [x.Shape[0], w.Shape[0], .. spatial]);
    }

    private static TensorFacts? Pool(NodeProto node, TensorFacts? x, int elemType)
    {
        if (x?.Shape is null || x.Rank < 3)
        {
            return null;
        }

        var kernel = Ints(node, "kernel_shape");
        if (kernel is null)
        {
            return null;
        }

        if (Int(node, "channels_last", 0) != 0)
        {
            var spatial = Windowed(node, x.Shape[1..^1], kernel, Int(node, "ceil_mode", 0) != 0);
            return new TensorFacts(elemType, [x.Shape[0], .. spatial, x.Shape[^1]]);
        }

        return new TensorFacts(elemType, [x.Shape[0], x.Shape[1], .. Windowed(node, x.Shape[2..], kernel, Int(node, "ceil_mode", 0) != 0)]);
    }

    /// <summary>Output extent of a sliding window (Conv, pools) with pads, strides, dilations and auto_pad.</summary>
    private static long[] Windowed(NodeProto node, long[] input, long[] kernel, bool ceilMode)
    {
        var n = input.Length;
        var strides = SpatialAttr(node, "strides", n, 1);
        var dilations = SpatialAttr(node, "dilations", n, 1);
        var pads = Ints(node, "pads") is { } p && p.Length == 2 * n ? p : new long[2 * n];
        var autoPad = String(node, "auto_pad", "NOTSET");
        var output = new long[n];
        for (var i = 0; i < n; i++)
        {
            var effective = ((kernel[i] - 1) * dilations[i]) + 1;
            switch (autoPad)
            {
                case "SAME_UPPER" or "SAME_LOWER":
                    output[i] = (input[i] + strides[i] - 1) / strides[i];
                    break;
                case "VALID":
                    output[i] = ((input[i] - effective) / strides[i]) + 1;
                    break;
                default:
                    var span = input[i] + pads[i] + pads[i + n] - effective;
                    output[i] = ceilMode ? ((span + strides[i] - 1) / strides[i]) + 1 : (span / strides[i]) + 1;
                    if (ceilMode && (output[i] - 1) * strides[i] >= input[i] + pads[i])
                    {
                        // The last window would start in the end padding: runtimes drop it.
                        output[i]--;
                    }

                    break;
            }
        }

        return output;
    }

    private static TensorFacts? ConvTranspose(NodeProto node, TensorFacts? x, TensorFacts? w)
    {
        if (x?.Shape is null || w?.Shape is null || x.Rank < 3)
        {
            return null;
        }

        var n = x.Rank - 2;
        var group = Int(node, "group", 1);
        var channels = w.Shape[1] * group;
        if (Ints(node, "output_shape") is { } outShape)
        {
            return new TensorFacts(x.ElemType, [x.Shape[0], channels, .. outShape[^n..]]);
        }

        var kernel = Ints(node, "kernel_shape") ?? w.Shape[2..];
        var strides = SpatialAttr(node, "strides", n, 1);
        var dilations = SpatialAttr(node, "dilations", n, 1);
        var outputPadding = SpatialAttr(node, "output_padding", n, 0);
        var pads = Ints(node, "pads") is { } p && p.Length == 2 * n ? p : new long[2 * n];
        var autoPad = String(node, "auto_pad", "NOTSET");
        var spatial = new long[n];
        for (var i = 0; i < n; i++)
        {
            spatial[i] = autoPad is "SAME_UPPER" or "SAME_LOWER"
                ? x.Shape[2 + i] * strides[i]
                : (strides[i] * (x.Shape[2 + i] - 1)) + outputPadding[i] + ((kernel[i] - 1) * dilations[i]) + 1 - pads[i] - pads[i + n];
        }

        return new TensorFacts(x.ElemType, [x.Shape[0], channels, .. spatial]);
    }

    /// <summary>numpy.matmul shapes: 1-D operands are promoted and the added axis removed again.</summary>
    private static TensorFacts? MatMul(TensorFacts? a, TensorFacts? b, int elemType)
    {
        if (a?.Shape is null || b?.Shape is null || a.Rank == 0 || b.Rank == 0)
        {
            return null;
        }

        var sa = a.Rank == 1 ? [1, a.Shape[0]] : a.Shape;
        var sb = b.Rank == 1 ? [b.Shape[0], 1] : b.Shape;
        if (sa[^1] != sb[^2])
        {
            return null;
        }

        var batch = Broadcast(sa[..^2], sb[..^2]);
        if (batch is null)
        {
            return null;
        }

        var shape = new List<long>(batch);
        if (a.Rank > 1)
        {
            shape.Add(sa[^2]);
        }

        if (b.Rank > 1)
        {
            shape.Add(sb[^1]);
        }

        return new TensorFacts(elemType, shape.ToArray());
    }

    private static TensorFacts? Gather(TensorFacts? data, TensorFacts? indices, long axisAttr)
    {
        if (data?.Shape is null || indices?.Shape is null)
        {
            return null;
        }

        var axis = Axis(axisAttr, data.Rank);
        long[] shape = [.. data.Shape[..axis], .. indices.Shape, .. data.Shape[(axis + 1)..]];
        long[]? ints = null;
        if (data.Rank == 1 && data.Ints is not null && indices.Ints is not null)
        {
            ints = indices.Ints.Select(i => data.Ints[i < 0 ? i + data.Shape[0] : i]).ToArray();
        }

        return new TensorFacts(data.ElemType, shape, ints);
    }

    private static TensorFacts? Constant(NodeProto node)
    {
        foreach (var attr in node.Attribute)
        {
            switch (attr.Name)
            {
                case "value" when attr.T is not null:
                    return TensorData.Facts(attr.T);
                case "value_float":
                    return new TensorFacts((int)OnnxElementType.Float, [], null, [attr.F]);
                case "value_floats":
                    return new TensorFacts((int)OnnxElementType.Float, [attr.Floats.Count], null, attr.Floats.Select(f => (double)f).ToArray());
                case "value_int":
                    return new TensorFacts((int)OnnxElementType.Int64, [], [attr.I]);
                case "value_ints":
                    return new TensorFacts((int)OnnxElementType.Int64, [attr.Ints.Count], attr.Ints.ToArray());
            }
        }

        return null;
    }

    private static TensorFacts? ConstantOfShape(NodeProto node, TensorFacts? shapeInput)
    {
        if (shapeInput?.Ints is null)
        {
            return null;
        }

        var shape = shapeInput.Ints;
        var value = Find(node, "value")?.T is { } t ? TensorData.Facts(t) : new TensorFacts((int)OnnxElementType.Float, [1], null, [0.0]);
        var count = TensorFacts.Product(shape);
        if (count > TensorFacts.MaxFoldedElements)
        {
            return new TensorFacts(value.ElemType, shape);
        }

        return value.Ints is not null
            ? new TensorFacts(value.ElemType, shape, Enumerable.Repeat(value.Ints[0], (int)count).ToArray())
            : value.Floats is not null
                ? new TensorFacts(value.ElemType, shape, null, Enumerable.Repeat(value.Floats[0], (int)count).ToArray())
                : new TensorFacts(value.ElemType, shape);
    }

    private static TensorFacts? Range(TensorFacts? start, TensorFacts? limit, TensorFacts? delta)
    {
        if (start?.Ints is { Length: 1 } s && limit?.Ints is { Length: 1 } l && delta?.Ints is { Length: 1 } d && d[0] != 0)
        {
            var n = Math.Max(0, (long)Math.Ceiling((double)(l[0] - s[0]) / d[0]));
            return TensorFacts.FromInts(start.ElemType, [n], Enumerable.Range(0, (int)Math.Min(n, TensorFacts.MaxFoldedElements + 1)).Select(i => s[0] + (i * d[0])).ToArray());
        }

        if (start?.Floats is { Length: 1 } fs && limit?.Floats is { Length: 1 } fl && delta?.Floats is { Length: 1 } fd && fd[0] != 0)
        {
            var n = Math.Max(0, (long)Math.Ceiling((fl[0] - fs[0]) / fd[0]));
            return new TensorFacts(start.ElemType, [n]);
        }

        return null;
    }

    private static TensorFacts? Pad(NodeProto node, TensorFacts? a, long[]? pads, long[]? axes)
    {
        if (a?.Shape is null || pads is null)
        {
            return null;
        }

        var shape = (long[])a.Shape.Clone();
        var list = axes?.Select(ax => Axis(ax, a.Rank)).ToArray() ?? Enumerable.Range(0, a.Rank).ToArray();
        for (var i = 0; i < list.Length; i++)
        {
            shape[list[i]] += pads[i] + pads[i + list.Length];
        }

        return new TensorFacts(a.ElemType, shape);
    }

    private static TensorFacts? Reduce(TensorFacts? a, long[]? axes, bool keepDims, bool noopWithEmptyAxes, int elemType)
    {
        if (a?.Shape is null)
        {
            return null;
        }

        if (axes is null or { Length: 0 } && noopWithEmptyAxes)
        {
            return new TensorFacts(elemType, a.Shape);
        }

        var reduced = axes is null or { Length: 0 }
            ? Enumerable.Range(0, a.Rank).ToHashSet()
            : axes.Select(ax => Axis(ax, a.Rank)).ToHashSet();
        var shape = new List<long>();
        for (var i = 0; i < a.Rank; i++)
        {
            if (!reduced.Contains(i))
            {
                shape.Add(a.Shape[i]);
            }
            else if (keepDims)
            {
                shape.Add(1);
            }
        }

        return new TensorFacts(elemType, shape.ToArray());
    }
}
