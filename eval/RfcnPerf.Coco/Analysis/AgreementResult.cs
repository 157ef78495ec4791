using System.Text.Json.Serialization;

namespace RfcnPerf.Coco.Analysis;

/// <summary>How two models' detections of the same images correspond (see <see cref="DetectionAgreement"/>).</summary>
/// <param name="ScoreThreshold">τ: only detections scoring at least this were compared.</param>
/// <param name="Totals">The five counts over all images.</param>
/// <param name="PerClass">Per category (the ground truth's, ascending id; then any other class a model reported), those
/// with at least one compared detection.</param>
/// <param name="PerImage">Per image with at least one compared detection, in ground-truth file order.</param>
public sealed record AgreementResult(double ScoreThreshold, AgreementCounts Totals, IReadOnlyList<AgreementClassRow> PerClass, IReadOnlyList<AgreementImageRow> PerImage)
{
    /// <summary>What became of each baseline detection (index = position in the baseline results).</summary>
    [JsonIgnore]
    public IReadOnlyList<AgreementOutcome> BaselineOutcomes { get; init; } = [];

    /// <summary>What became of each candidate detection (index = position in the candidate results).</summary>
    [JsonIgnore]
    public IReadOnlyList<AgreementOutcome> CandidateOutcomes { get; init; } = [];

    /// <summary>
    /// The images where the models disagree most: most lost + gained + relabelled, then most moved, then file order;
    /// only images with at least one disagreement.
    /// </summary>
    public IReadOnlyList<AgreementImageRow> MostDisagreeing(int count) =>
        [.. PerImage.Select((row, order) => (row, order))
            .Where(x => x.row.Counts.Disagreements > 0)
            .OrderByDescending(x => x.row.Counts.Lost + x.row.Counts.Gained + x.row.Counts.Relabelled)
            .ThenByDescending(x => x.row.Counts.Moved)
            .ThenBy(x => x.order)
            .Take(count)
            .Select(x => x.row)];
}
