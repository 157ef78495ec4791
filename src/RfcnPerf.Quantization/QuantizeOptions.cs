using System.Globalization;
using RfcnPerf.Onnx;
using RfcnPerf.Quantization.Qdq;

namespace RfcnPerf.Quantization;

/// <summary>Options of <see cref="QdqQuantizer"/>; <see cref="Describe"/> is their canonical text (cache keys, metadata).</summary>
public sealed record QuantizeOptions
{
    /// <summary>Default percentile for <see cref="CalibrationMethod.Percentile"/>.</summary>
    public const double DefaultPercentile = 99.9999;

    /// <summary>Range method.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.Percentile;

    /// <summary>Percentile (50 &lt; P &lt;= 100) for <see cref="CalibrationMethod.Percentile"/>.</summary>
    public double Percentile { get; init; } = DefaultPercentile;

    /// <summary>Per-output-channel weight scales (needs opset 13; older graphs are upgraded when possible).</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>uint8 activations (U8S8, the fast path on x86) or int8.</summary>
    public bool UnsignedActivations { get; init; } = true;

    /// <summary>Node names or op types to keep FP32.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>The family's FP32 decoding tail (<see cref="HeadTail.None"/> = quantize the head too).</summary>
    public HeadTail Tail { get; init; } = HeadTail.None;

    /// <summary>
    /// Keep the image stem FP32: a Conv reading a real graph input of at most <see cref="StemMaxChannels"/>
    /// channels (the RGB image). Its reduction is only C x kH x kW (27 for a 3x3 RGB conv), too short for the
    /// int8 kernel's packing: ONNX Runtime 1.31 took 4.6 ms for yolov8n's stem as QLinearConv against 1.9 ms in FP32
    /// (one thread, `rfcnperf profile yolov8n --vs yolov8n-int8 --intra 1`), and the input QuantizeLinear goes too.
    /// Off here (a plain graph has no notion of an image); the detector catalog and `model quantize` turn it on.
    /// </summary>
    public bool KeepStemFp32 { get; init; }

    /// <summary>
    /// Give every quantized Concat's inputs and output one scale and zero point (the union of their calibrated
    /// ranges), so ONNX Runtime's QLinearConcat copies bytes instead of requantizing each input through a lookup
    /// table (TensorRT requires the same of a Concat). On by default: yolov8n's 13 QLinearConcat took 2.9 ms of a
    /// 45 ms one-thread INT8 call with own scales, and AP on the 212-image subset did not drop (0.4023 against
    /// 0.3987 with own scales, FP32 0.4047).
    /// </summary>
    public bool ConcatSharesScale { get; init; } = true;

    /// <summary>Most channels a graph input may have for the Conv reading it to count as the image stem.</summary>
    public const int StemMaxChannels = 4;

    /// <summary>Canonical text of every option that changes the output file.</summary>
    public string Describe()
    {
        var ci = CultureInfo.InvariantCulture;
        var method = Method switch
        {
            CalibrationMethod.Percentile => $"percentile {Percentile.ToString("R", ci)}",
            CalibrationMethod.Entropy => "entropy",
            _ => "minmax",
        };
        return $"QDQ {(UnsignedActivations ? "U8S8" : "S8S8")} {(PerChannel ? "per-channel" : "per-tensor")} {method} head={Tail}" +
               (KeepStemFp32 ? " stem=FP32" : "") +
               (ConcatSharesScale ? string.Empty : " concat=own") +
               (Exclude.Count > 0 ? $" exclude={string.Join(",", Exclude.Order(StringComparer.Ordinal))}" : "");
    }
}
