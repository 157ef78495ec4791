namespace RfcnPerf.Coco;

/// <summary>Wall-clock time of each stage of one scoring run.</summary>
/// <param name="LoadGroundTruth">Reading the ground-truth file.</param>
/// <param name="LoadResults">Reading the results file(s).</param>
/// <param name="Evaluate">COCOeval.evaluate.</param>
/// <param name="Accumulate">COCOeval.accumulate.</param>
/// <param name="Summarize">COCOeval.summarize.</param>
public sealed record CocoTimings(TimeSpan LoadGroundTruth, TimeSpan LoadResults, TimeSpan Evaluate, TimeSpan Accumulate, TimeSpan Summarize)
{
    /// <summary>The sum of the stages.</summary>
    public TimeSpan Total => LoadGroundTruth + LoadResults + Evaluate + Accumulate + Summarize;

    /// <summary>One line for people: each stage and the total in milliseconds.</summary>
    public string Format() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"timings (ms): load GT {Ms(LoadGroundTruth)}, load results {Ms(LoadResults)}, evaluate {Ms(Evaluate)}, accumulate {Ms(Accumulate)}, summarize {Ms(Summarize)}, total {Ms(Total)}");

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
