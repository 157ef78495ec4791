
namespace RfcnPerf.Quantization;

/// <summary>
/// One tensor's affine quantization, real = (q - ZeroPoint) x Scale, with the arithmetic of ONNX Runtime's
/// quantizer (onnxruntime/python/tools/quantization/quant_utils.py compute_scale_zp): the range always
/// contains 0 so that 0 is exact, scale = (rmax - rmin) / (qmax - qmin) in float32, zero point =
/// round(qmin - rmin / scale) clamped to the type, rounding half to even.
/// </summary>
/// <param name="Scale">Positive float32 scale.</param>
/// <param name="ZeroPoint">Zero point in the quantized type's range.</param>
public readonly record struct QuantParams(float Scale, int ZeroPoint)
{
    /// <summary>Weights use the restricted symmetric int8 range [-127, 127] (no -128), so -w quantizes to -q.</summary>
    public const int WeightMax = 127;

    /// <summary>Asymmetric activation parameters for uint8 ([0, 255]) or int8 ([-128, 127]).</summary>
    public static QuantParams ForActivation(double rmin, double rmax, bool unsigned)
    {
        var (qmin, qmax) = unsigned ? (0, 255) : (-128, 127);
        rmin = Math.Min(rmin, 0);
        rmax = Math.Max(rmax, 0);
        var scale = (float)((rmax - rmin) / (qmax - qmin));
        if (!(scale > 0) || float.IsSubnormal(scale) || !float.IsFinite(scale))
        {
            // A constant-zero tensor: any scale represents it; ORT uses 1 and the zero point of real 0.
            return new QuantParams(1f, unsigned ? 0 : 0);
        }

        var zp = Math.Round(qmin - ((float)rmin / scale), MidpointRounding.ToEven);
        return new QuantParams(scale, (int)Math.Clamp(zp, qmin, qmax));
    }

    /// <summary>Symmetric int8 weight parameters for values whose largest magnitude is <paramref name="absMax"/>.</summary>
    public static QuantParams ForWeights(double absMax)
    {
        var scale = (float)(absMax / WeightMax);
        return scale > 0 && float.IsFinite(scale) && !float.IsSubnormal(scale) ? new QuantParams(scale, 0) : new QuantParams(1f, 0);
    }

    /// <summary>q = clamp(round(x / scale) + zero point) in [qmin, qmax], rounding half to even (QuantizeLinear's rule).</summary>
    public int Quantize(float x, int qmin, int qmax)
    {
        var q = Math.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint;
        return (int)Math.Clamp(q, qmin, qmax);
    }

    /// <summary>The real value of a quantized one.</summary>
    public float Dequantize(int q) => (q - ZeroPoint) * Scale;

    /// <summary>
    /// int32 bias for a Conv: scale = input scale x weight scale (float32 product, as ORT computes it), zero
    /// point 0, so the bias adds directly to the int32 accumulator.
    /// </summary>
    public static (float Scale, int Value) QuantizeBias(float bias, float inputScale, float weightScale)
    {
        var scale = inputScale * weightScale;
        if (!(scale > 0))
        {
            return (1f, 0);
        }

        var q = Math.Round(bias / (double)scale, MidpointRounding.ToEven);
        return (scale, (int)Math.Clamp(q, int.MinValue, int.MaxValue));
    }
}
