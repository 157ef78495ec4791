namespace RfcnPerf.Serving;

/// <summary>
/// The one signature every served model exposes, whatever its family: the TF Object Detection API's
/// <c>serving_default</c> (uint8 images in, the four detection tensors out), as the recipe's R-FCN had.
/// </summary>
internal static class ServedSignature
{
    public const string Name = "serving_default";

    public const string Input = "inputs";

    public const string MethodName = "tensorflow/serving/predict";

    /// <summary>Outputs with their TF dtype and shape (-1 = any).</summary>
    public static readonly (string Name, long[] Shape)[] Outputs =
    [
        (DetectionTensors.Boxes, [-1, -1, 4]),
        (DetectionTensors.Classes, [-1, -1]),
        (DetectionTensors.Scores, [-1, -1]),
        (DetectionTensors.Count, [-1]),
    ];

    public static readonly long[] InputShape = [-1, -1, -1, 3];

    /// <summary>Refuses a signature other than the default (an empty name means the default, as in TF Serving).</summary>
    public static void Check(string? signature)
    {
        if (!string.IsNullOrEmpty(signature) && signature != Name)
        {
            throw ServingException.Invalid($"Serving signature name: \"{signature}\" not found in signature def (only \"{Name}\")");
        }
    }
}
