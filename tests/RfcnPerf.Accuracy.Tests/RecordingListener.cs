namespace RfcnPerf.Accuracy.Tests;

/// <summary>Records what a run reports; optionally cancels once a pass has done a number of images.</summary>
internal sealed class RecordingListener(CancellationTokenSource? cancel = null, int cancelAfterImages = int.MaxValue) : IAccuracyRunListener
{
    public List<string> Lines { get; } = [];

    public void Log(string message) => Lines.Add(message);

    public void DetectionStarted(string model, int images) => Lines.Add($"start {model} {images}");

    public void DetectionProgress(string model, int done)
    {
        if (done >= cancelAfterImages)
        {
            cancel?.Cancel();
        }
    }

    public void DetectionEnded(string model) => Lines.Add($"end {model}");
}
