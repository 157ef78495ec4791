using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Comparison;

namespace RfcnPerf.Bench.Comparisons;

/// <summary>
/// The answers for one model, all from one interleaved run of its configurations: the INT8 speed-up, the A/A
/// noise check, RfcnPerf's session against a bare Run, and per variant the best latency and throughput configuration.
/// </summary>
internal sealed record ModelAnswers
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>The run (any two sides pair up).</summary>
    public required InterleavedRun Run { get; init; }

    /// <summary>Every configuration measured, per variant; each variant's first is its default point.</summary>
    public required IReadOnlyList<Candidate> Candidates { get; init; }

    /// <summary>Side index of the second session of the FP32 default (the A/A check's B).</summary>
    public required int Twin { get; init; }

    /// <summary>Side index of each variant's bare InferenceSession.Run loop, where one could be opened.</summary>
    public required IReadOnlyDictionary<ModelVariant, int> Bare { get; init; }

    /// <summary>The variants in order (FP32 first).</summary>
    public IReadOnlyList<ModelVariant> Variants => [.. Candidates.Select(c => c.Variant).Distinct()];

    /// <summary>A variant's default point (batch 1, ORT defaults).</summary>
    public Candidate Default(ModelVariant variant) => Candidates.First(c => c.Variant == variant);

    /// <summary>INT8 time / FP32 time at the default point, paired; null without an INT8 variant.</summary>
    public ComparisonResult? Int8VsFp32 => Variants.Count > 1 ? Run.Pair(Default(Variants[0]).Side, Default(Variants[1]).Side) : null;

    /// <summary>The FP32 default against a second session of itself: should be "same".</summary>
    public ComparisonResult AaCheck => Run.Pair(Default(Variants[0]).Side, Twin);

    /// <summary>DetectorStream.Run time / bare Run time for <paramref name="variant"/>, or null without a bare loop.</summary>
    public ComparisonResult? Overhead(ModelVariant variant) => Bare.TryGetValue(variant, out var bare) ? Run.Pair(bare, Default(variant).Side) : null;

    /// <summary>A configuration against its variant's default (time per image).</summary>
    public ComparisonResult VsDefault(Candidate candidate) => Run.Pair(Default(candidate.Variant).Side, candidate.Side);

    /// <summary>Best real-time configuration (batch 1, one request in flight) of <paramref name="variant"/>.</summary>
    public BestChoice BestLatency(ModelVariant variant) => BestChoice.Pick(Run, [.. Candidates.Where(c => c.Variant == variant && c.IsRealTime)]);

    /// <summary>Best configuration by images/s of <paramref name="variant"/> (any batch, streams, threads).</summary>
    public BestChoice BestThroughput(ModelVariant variant) => BestChoice.Pick(Run, [.. Candidates.Where(c => c.Variant == variant)]);

    /// <summary>Milliseconds per image of a side over all its measured requests (mean).</summary>
    public double MsPerImage(Candidate c) => Run.RequestMs[c.Side].Average() / c.Point.ImagesPerInvocation;
}
