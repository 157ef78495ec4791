namespace RfcnPerf.Core.Imaging;

/// <summary>
/// Where an image of <c>SourceWidth x SourceHeight</c> lands inside a model input of
/// <c>InputWidth x InputHeight</c>: resized to <c>ResizedWidth x ResizedHeight</c> at offset (PadX, PadY).
/// Maps model-input coordinates back to original pixels.
/// </summary>
public readonly record struct LetterboxGeometry(
    int SourceWidth,
    int SourceHeight,
    int InputWidth,
    int InputHeight,
    int ResizedWidth,
    int ResizedHeight,
    int PadX,
    int PadY,
    double ScaleX,
    double ScaleY)
{
    /// <summary>Computes the placement for a resize mode.</summary>
    public static LetterboxGeometry Compute(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight, ResizeMode mode)
    {
        switch (mode)
        {
            case ResizeMode.None:
                return new(sourceWidth, sourceHeight, sourceWidth, sourceHeight, sourceWidth, sourceHeight, 0, 0, 1, 1);
            case ResizeMode.Stretch:
                return new(sourceWidth, sourceHeight, inputWidth, inputHeight, inputWidth, inputHeight, 0, 0,
                    (double)inputWidth / sourceWidth, (double)inputHeight / sourceHeight);
        }

        // Ultralytics LetterBox: r = min(new/old); unpadded size rounded; padding split with round(d -/+ 0.1).
        var r = Math.Min((double)inputWidth / sourceWidth, (double)inputHeight / sourceHeight);
        var w = Math.Clamp((int)Math.Round(sourceWidth * r, MidpointRounding.ToEven), 1, inputWidth);
        var h = Math.Clamp((int)Math.Round(sourceHeight * r, MidpointRounding.ToEven), 1, inputHeight);
        int padX = 0, padY = 0;
        if (mode == ResizeMode.LetterboxCentered)
        {
            padX = (int)Math.Round(((inputWidth - w) / 2.0) - 0.1, MidpointRounding.ToEven);
            padY = (int)Math.Round(((inputHeight - h) / 2.0) - 0.1, MidpointRounding.ToEven);
        }

        return new(sourceWidth, sourceHeight, inputWidth, inputHeight, w, h, padX, padY, r, r);
    }

    /// <summary>Model-input x to original-image x (not clipped).</summary>
    public double ToSourceX(double x) => (x - PadX) / ScaleX;

    /// <summary>Model-input y to original-image y (not clipped).</summary>
    public double ToSourceY(double y) => (y - PadY) / ScaleY;

    /// <summary>Original-image x to model-input x.</summary>
    public double ToInputX(double x) => (x * ScaleX) + PadX;

    /// <summary>Original-image y to model-input y.</summary>
    public double ToInputY(double y) => (y * ScaleY) + PadY;
}
