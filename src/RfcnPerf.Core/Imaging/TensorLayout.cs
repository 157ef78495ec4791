namespace RfcnPerf.Core.Imaging;

/// <summary>Element type and memory order of a model's image input.</summary>
public enum TensorLayout
{
    /// <summary>float32 [N,3,H,W], channel planes.</summary>
    NchwFloat,

    /// <summary>uint8 [N,H,W,3], interleaved RGB.</summary>
    NhwcByte,
}
