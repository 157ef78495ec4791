namespace RfcnPerf.Accuracy;

/// <summary>Receives what an accuracy run is doing, for a progress bar and a log (the CLI's console, a test's list).</summary>
public interface IAccuracyRunListener
{
    /// <summary>A line for the user (what is happening, what was reused or resumed, where files went).</summary>
    void Log(string message);

    /// <summary>A model's detection pass starts over <paramref name="images"/> images (some may be restored).</summary>
    void DetectionStarted(string model, int images);

    /// <summary>Images done so far in the current pass (restored ones included).</summary>
    void DetectionProgress(string model, int done);

    /// <summary>The current pass ended (finished, failed or cancelled).</summary>
    void DetectionEnded(string model);
}
