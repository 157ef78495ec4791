using System.Buffers.Binary;
using RfcnPerf.Onnx;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// The optional bias of a Conv or Gemm (input 2) as int32 behind a DequantizeLinear: scale = input scale x weight
/// scale per output channel, zero point 0, so ORT adds it straight to the int32 accumulator.
/// </summary>
internal static class BiasEmitter
{
    /// <summary>Writes the bias of <paramref name="node"/> when it has one and points input 2 at it.</summary>
    public static void EmitIfPresent(NodeProto node, IReadOnlyList<string> sourceInputs, float[] weightScales, QdqEmitContext context)
    {
        if (sourceInputs.Count <= 2 || sourceInputs[2].Length == 0)
        {
            return;
        }

        var name = sourceInputs[2];
        var init = context.Initializers[name];
        var b = context.ReadFloats(name, init, "bias");
        var inputScale = context.Scales.Of(sourceInputs[0]).Scale;
        var scales = new float[b.Length];
        var q = new byte[b.Length * 4];
        for (var c = 0; c < b.Length; c++)
        {
            var (s, v) = QuantParams.QuantizeBias((float)b[c], inputScale, weightScales[weightScales.Length == 1 ? 0 : c]);
            scales[c] = s;
            BinaryPrimitives.WriteInt32LittleEndian(q.AsSpan(c * 4), v);
        }

        node.Input[2] = context.Writer.DequantizedInitializer(
            $"{node.Name}_{name}_quantized", OnnxElementType.Int32, 4, q, init.Dims, scales, weightScales.Length > 1 ? 0 : null);
    }
}
