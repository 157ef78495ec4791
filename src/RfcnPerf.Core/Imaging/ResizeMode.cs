namespace RfcnPerf.Core.Imaging;

/// <summary>How an image is fitted into a fixed model input.</summary>
public enum ResizeMode
{
    /// <summary>Keep aspect ratio, centre the image, pad the borders (Ultralytics LetterBox).</summary>
    LetterboxCentered,

    /// <summary>Keep aspect ratio, image at the top-left corner, pad right and bottom.</summary>
    LetterboxTopLeft,

    /// <summary>Scale each axis independently to fill the input (no padding).</summary>
    Stretch,

    /// <summary>Feed the image at its own size (the graph resizes internally: tf-od-api).</summary>
    None,
}
