using System.Globalization;
using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// Int8 symmetric weights ([-127, 127], zero point 0) behind a DequantizeLinear: one scale per slice along the
/// output-channel axis when the build is per channel and the op has such an axis, else one scale. Written once per
/// weight and axis however many nodes read it.
/// </summary>
internal static class WeightEmitter
{
    /// <summary>
    /// Writes weight <paramref name="name"/> quantized along <paramref name="outputAxis"/> (0 for Conv and a Gemm
    /// with transB, 1 for a 2-D MatMul B and a Gemm without; null when there is none).
    /// </summary>
    public static QuantizedWeight Emit(string name, TensorProto init, int? outputAxis, QdqEmitContext context)
    {
        var axis = context.PerChannel ? outputAxis : null;
        var key = string.Create(CultureInfo.InvariantCulture, $"{name}\n{axis}");
        if (context.Writer.TryGetWeight(key, out var written))
        {
            return written;
        }

        var w = context.ReadFloats(name, init, "weight");
        var count = w.Length;
        var channels = axis is { } a ? (int)init.Dims[a] : 1;
        var inner = axis is { } b ? (int)TensorFacts.Product(init.Dims.Skip(b + 1).ToArray()) : count;
        int Channel(int i) => (i / inner) % channels;
        var absMax = new double[channels];
        for (var i = 0; i < count; i++)
        {
            absMax[Channel(i)] = Math.Max(absMax[Channel(i)], Math.Abs(w[i]));
        }

        var p = absMax.Select(QuantParams.ForWeights).ToArray();
        var scales = p.Select(x => x.Scale).ToArray();
        var q = new byte[count];
        for (var i = 0; i < count; i++)
        {
            q[i] = unchecked((byte)(sbyte)p[Channel(i)].Quantize((float)w[i], -QuantParams.WeightMax, QuantParams.WeightMax));
        }

        var qName = axis is null or 0 ? name + "_quantized" : string.Create(CultureInfo.InvariantCulture, $"{name}_axis{axis}_quantized");
        var weight = new QuantizedWeight(context.Writer.DequantizedInitializer(qName, OnnxElementType.Int8, 1, q, init.Dims, scales, axis), scales);
        context.Writer.RememberWeight(key, weight);
        return weight;
    }
}
