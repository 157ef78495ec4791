namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// A port of TIDE (dbolya/tide, tidecv 1.0.1), the toolbox that splits a detector's missing AP into six error types,
/// in bbox mode. It keeps tidecv's own matching and AP, not COCOeval's: per image the top
/// <see cref="TideOptions.MaxDetections"/> detections across classes (stable sort by score), each matched greedily to
/// the unused same-class ground truth of highest IoU (first one on a tie) when that IoU is &gt;= 0.5; unmatched
/// detections inside a crowd box of their class (intersection over detection area &gt; 0.5) are ignored; each false
/// positive gets one error type (<see cref="TideErrorType"/>, tested in tidecv's order); an oracle fixes one type at a
/// time and the AP50 it reaches, minus the AP50, is that type's dAP. Fixed errors are pushed before the correct
/// detections and the AP sorts stably, as tidecv does, so tied scores (common with INT8) rank the same way.
/// </summary>
public static class Tide
{
    /// <summary>TIDE's short names, by <see cref="TideErrorType"/>.</summary>
    public static IReadOnlyList<string> ShortNames { get; } = ["Cls", "Loc", "Both", "Dupe", "Bkg", "Miss"];

    /// <summary>Runs TIDE on <paramref name="results"/> against <paramref name="groundTruth"/> (<c>TIDE().evaluate(gt, preds, mode=TIDE.BOX)</c>
    /// followed by <c>get_main_errors</c>, <c>get_special_errors</c> and <c>count_errors</c>).</summary>
    /// <exception cref="CocoException">An image id of <see cref="TideOptions.ImageIds"/> is not in the ground truth, or a
    /// threshold is out of range.</exception>
    public static TideResult Evaluate(CocoGroundTruth groundTruth, CocoResults results, TideOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(results);
        options ??= new TideOptions();
        if (options.MaxDetections < 1)
        {
            throw new CocoException($"TIDE max detections per image must be at least 1, got {options.MaxDetections}");
        }

        if (!(options.BackgroundThreshold >= 0 && options.BackgroundThreshold <= options.PositiveThreshold && options.PositiveThreshold <= 1))
        {
            throw new CocoException($"TIDE thresholds must satisfy 0 <= background ({options.BackgroundThreshold}) <= positive ({options.PositiveThreshold}) <= 1");
        }

        var run = new TideRun(groundTruth, results, options);
        run.Run();
        return run.Summarize();
    }
}
