using System.Text;
using RfcnPerf.Bench.Comparisons;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Machine;
using static RfcnPerf.Bench.Tests.Cases;

namespace RfcnPerf.Bench.Tests;

/// <summary>
/// The summary's answers from a synthetic interleaved run: the INT8 speed-up, best configurations claimed only over
/// decided differences with ties named, and the checks.
/// </summary>
public sealed class AnswersTests
{
    // Sides: FP32 default, its second session, FP32 bare Run, FP32 intra=1, INT8 default, INT8 intra=1.
    private static readonly SweepPoint One = SweepPoint.Default with { IntraOpThreads = 1 };

    private static ModelAnswers Answers(double fp32Intra1Ms, double int8Intra1Ms)
    {
        var rng = new Random(1);
        double Noisy(double ms) => ms * (1 + (0.01 * (rng.NextDouble() - 0.5)));
        var rounds = Enumerable.Range(0, 40).Select(_ => new[] { Noisy(30), Noisy(30), Noisy(30), Noisy(fp32Intra1Ms), Noisy(20), Noisy(int8Intra1Ms) }).ToList();
        var run = new InterleavedRun
        {
            Sides = ["fp32", "fp32 twin", "fp32 bare", "fp32 intra1", "int8", "int8 intra1"],
            RoundMsPerUnit = rounds,
            RoundPositions = [.. rounds.Select((_, i) => Enumerable.Range(0, 6).Select(s => (s + i) % 6).ToArray())],
            RequestMs = [.. Enumerable.Range(0, 6).Select(s => (IReadOnlyList<double>)[.. rounds.Select(r => r[s])])],
            Conditions = new RunConditions
            {
                Stopped = StopReason.Narrow,
                Seed = 7,
                Noise = new NoiseReport(60, 0.001, 0.02, 2, null, null, 10),
                BlockRequests = 5,
                WarmupRequests = 5,
                DroppedRounds = 0,
                UnsettledBlocks = 0,
                Elapsed = TimeSpan.FromSeconds(60),
            },
            Threshold = 0.05,
        };
        return new ModelAnswers
        {
            Model = "model-a",
            Run = run,
            Candidates = [new(ModelAFp32, SweepPoint.Default, 0), new(ModelAFp32, One, 3), new(ModelAInt8, SweepPoint.Default, 4), new(ModelAInt8, One, 5)],
            Twin = 1,
            Bare = new Dictionary<ModelVariant, int> { [ModelAFp32] = 2 },
        };
    }

    [Fact]
    public void The_answers_say_how_sure_they_are()
    {
        var a = Answers(fp32Intra1Ms: 24, int8Intra1Ms: 20.1);
        var sb = new StringBuilder();
        AnswersMarkdown.Write(sb, [a]);
        var text = sb.ToString();

        // INT8 takes 20 ms against 30: 1.50x faster, decided.
        Assert.Contains("| model-a | 1.50x [", text, StringComparison.Ordinal);
        Assert.Contains("| INT8 faster |", text, StringComparison.Ordinal);

        // FP32: intra=1 (24 ms) is decided faster than the default (30 ms); INT8: intra=1 ties with the default.
        Assert.Matches(@"\*\*batch 1, intra=1\*\*, 2[34]\.\d\d ms mean; faster than batch 1, intra=0 \(ORT default\) \(1\.25x\)", text);
        Assert.Contains("; tie with batch 1, intra=", text, StringComparison.Ordinal);
        Assert.Matches(@"\| model-a \| A/A: FP32 default, second session / first \| [01]\.\d{3}x \[\S+, \S+\] \| same \| 40 \|", text);
        Assert.Matches(@"\| model-a \| DetectorStream\.Run / bare Run, FP32 \| [01]\.\d{3}x \[\S+, \S+\] \| same \| 40 \|", text);
        Assert.Contains("seed 7", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_best_is_claimed_only_over_decided_differences()
    {
        var a = Answers(fp32Intra1Ms: 29.9, int8Intra1Ms: 26);
        var fp32 = a.BestLatency(ModelAFp32);
        var int8 = a.BestLatency(ModelAInt8);

        // FP32: 29.9 against 30 is no decided difference: a tie, nothing beaten.
        Assert.Empty(fp32.Beaten);
        Assert.Single(fp32.Ties);

        // INT8: the default (20) beats intra=1 (26): decided.
        Assert.Equal(SweepPoint.Default, int8.Best.Point);
        Assert.Single(int8.Beaten);
        Assert.Empty(int8.Ties);
    }
}
