using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// LoadGen's accuracy log (mlperf_log_accuracy.json) for detection: what the system under test answered for each
/// sample of the library, read from the served signature (<see cref="DetectionTensors"/>) as any client reads it,
/// with the image's size so the normalised boxes become COCO pixel boxes again. Each sample is recorded once, by the
/// one task that ran it, and read after every query completed.
/// </summary>
internal sealed class AccuracyLog(SampleLibrary library)
{
    private readonly ImageDetections?[] answers = new ImageDetections?[library.Count];

    /// <summary>Samples with a recorded answer.</summary>
    public int Recorded => answers.Count(a => a is not null);

    /// <summary>Records row <paramref name="row"/> of <paramref name="tensors"/> as sample <paramref name="sample"/>'s answer.</summary>
    public void Record(int sample, DetectionTensors tensors, int row, int width, int height) =>
        answers[sample] = new ImageDetections(new ImageRef(library.ImageIds[sample], library.Paths[sample]), width, height, tensors.Row(row, width, height));

    /// <summary>Every sample's detections in library order; a sample without an answer is an internal error (the caller checks <see cref="Recorded"/>).</summary>
    public IEnumerable<ImageDetections> Images() =>
        answers.Select((a, i) => a ?? throw new InvalidOperationException($"sample {i} ({library.Paths[i]}) has no recorded answer"));

    /// <summary>Detections recorded over all samples.</summary>
    public int Detections => answers.Sum(a => a?.Detections.Count ?? 0);
}
