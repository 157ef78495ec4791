using System.Text.Json.Serialization;

namespace RfcnPerf.Core.Machine;

/// <summary>The arithmetic a compute peak measures (JSON: its name).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PeakPrecision>))]
public enum PeakPrecision
{
    /// <summary>FP32 multiply-adds, counted as 2 FLOPs each.</summary>
    Fp32,

    /// <summary>u8 x s8 multiply-accumulates into int32, counted as 2 ops each.</summary>
    Int8,
}
