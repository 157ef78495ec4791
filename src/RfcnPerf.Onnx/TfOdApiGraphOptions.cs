namespace RfcnPerf.Onnx;

/// <summary>Options of <see cref="OnnxGraphBuilder.TfOdApi"/>, the test stand-in for the tf-od-api family.</summary>
internal sealed record TfOdApiGraphOptions
{
    /// <summary>Name tensors as tf2onnx does, with a ":0" suffix (<c>image_tensor:0</c>, <c>detection_boxes:0</c>, ...).</summary>
    public bool Tf2OnnxNames { get; init; }

    /// <summary>The detections every run returns, in order.</summary>
    public IReadOnlyList<TfOdApiDetection> Detections { get; init; } =
    [
        new(0.10f, 0.20f, 0.50f, 0.60f, 0.90f, 1f),
        new(0.30f, 0.05f, 0.95f, 0.40f, 0.75f, 18f),
        new(0.00f, 0.50f, 0.25f, 1.00f, 0.30f, 90f),
    ];

    /// <summary>
    /// N, the fixed length of the output arrays (TF models pad to their max detections with zeros and report
    /// the valid count in <c>num_detections</c>); null means exactly <see cref="Detections"/>.Count.
    /// </summary>
    public int? PaddedTo { get; init; }

    /// <summary>Symbolic names of the image height and width dimensions.</summary>
    public string HeightDim { get; init; } = "height";

    /// <summary>Symbolic name of the image width dimension.</summary>
    public string WidthDim { get; init; } = "width";

    /// <summary>Default-domain opset of the graph.</summary>
    public long Opset { get; init; } = 13;
}
