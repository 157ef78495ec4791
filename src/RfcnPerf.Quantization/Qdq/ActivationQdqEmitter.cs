using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Quantization.Qdq;

/// <summary>
/// The QuantizeLinear/DequantizeLinear pair after a quantized activation (graph inputs first, every other one right
/// after the node producing it): scale and zero point from <see cref="ActivationScales"/>, so tensors that share a
/// root or a Concat group get equal parameters. Consumers read <see cref="QdqGraphWriter.DequantizedName"/>.
/// </summary>
internal static class ActivationQdqEmitter
{
    /// <summary>Writes the pair for <paramref name="tensor"/>.</summary>
    public static void Emit(string tensor, QdqEmitContext context)
    {
        var writer = context.Writer;
        var p = context.Scales.Of(tensor);
        var scale = tensor + "_scale";
        var zp = tensor + "_zero_point";
        var quantized = tensor + QdqGraphWriter.QSuffix + "_Output";
        writer.AddInitializer(QdqGraphWriter.Scalar(scale, p.Scale));
        writer.AddInitializer(QdqGraphWriter.ZeroPoint(zp, context.ActivationType, p.ZeroPoint));
        var q = new NodeProto { Name = writer.UniqueNodeName(tensor + QdqGraphWriter.QSuffix), OpType = "QuantizeLinear" };
        q.Input.Add(tensor);
        q.Input.Add(scale);
        q.Input.Add(zp);
        q.Output.Add(quantized);
        var dq = new NodeProto { Name = writer.UniqueNodeName(tensor + QdqGraphWriter.DqSuffix), OpType = "DequantizeLinear" };
        dq.Input.Add(quantized);
        dq.Input.Add(scale);
        dq.Input.Add(zp);
        dq.Output.Add(QdqGraphWriter.DequantizedName(tensor));
        writer.AddNode(q);
        writer.AddNode(dq);
    }
}
