using System.Text.Json;

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

    /// <summary>Writes <c>"timings": {"loadGroundTruth": s, ..., "total": s}</c> (seconds) into the current object.</summary>
    public void WriteJsonProperty(Utf8JsonWriter writer, string propertyName = "timings")
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject(propertyName);
        CocoSummary.WriteDouble(writer, "loadGroundTruth", LoadGroundTruth.TotalSeconds);
        CocoSummary.WriteDouble(writer, "loadResults", LoadResults.TotalSeconds);
        CocoSummary.WriteDouble(writer, "evaluate", Evaluate.TotalSeconds);
        CocoSummary.WriteDouble(writer, "accumulate", Accumulate.TotalSeconds);
        CocoSummary.WriteDouble(writer, "summarize", Summarize.TotalSeconds);
        CocoSummary.WriteDouble(writer, "total", Total.TotalSeconds);
        writer.WriteEndObject();
    }

    /// <summary>One line for people: each stage and the total in milliseconds.</summary>
    public string Format() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"timings (ms): load GT {Ms(LoadGroundTruth)}, load results {Ms(LoadResults)}, evaluate {Ms(Evaluate)}, accumulate {Ms(Accumulate)}, summarize {Ms(Summarize)}, total {Ms(Total)}");

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
