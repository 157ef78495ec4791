using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// A float constant input of an op quantized like an activation (Add/Mul/Concat/Where values, MatMul's A):
/// uint8/int8 per tensor from its own min and max, behind a DequantizeLinear only (it needs no QuantizeLinear).
/// </summary>
internal static class ConstantEmitter
{
    /// <summary>Writes constant <paramref name="name"/> and returns its dequantized name.</summary>
    public static string Emit(string name, TensorProto init, QdqEmitContext context)
    {
        var values = context.ReadFloats(name, init, "initializer");
        var unsigned = context.UnsignedActivations;
        var p = QuantParams.ForActivation(values.DefaultIfEmpty().Min(), values.DefaultIfEmpty().Max(), unsigned);
        var (qmin, qmax) = unsigned ? (0, 255) : (-128, 127);
        var bytes = values.Select(v => (byte)p.Quantize((float)v, qmin, qmax)).ToArray();
        return context.Writer.DequantizedInitializer(name + "_quantized", context.ActivationType, 1, bytes, init.Dims, [p.Scale], axis: null, p.ZeroPoint);
    }
}
