namespace RfcnPerf.Core.Imaging;

/// <summary>
/// How a family turns pixels into its input tensor. Float value per channel c is
/// <c>(pixel[c] - Mean[c]) / Std[c]</c>, channels in <see cref="Bgr"/> order when set. Padding pixels are
/// the gray level <see cref="PadValue"/> before normalisation (Ultralytics pads 114).
/// </summary>
public sealed record PreprocessSpec(
    int InputWidth,
    int InputHeight,
    TensorLayout Layout,
    ResizeMode Resize,
    bool Bgr,
    float[] Mean,
    float[] Std,
    byte PadValue)
{
    /// <summary>Elements of one image in the input tensor (fixed-size layouts).</summary>
    public int ElementsPerImage => InputWidth * InputHeight * 3;
}
