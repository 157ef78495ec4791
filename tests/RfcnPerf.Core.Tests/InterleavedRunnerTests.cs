using RfcnPerf.Core.Comparison;
using RfcnPerf.Statistics;

namespace RfcnPerf.Core.Tests;

/// <summary>
/// The interleaved runner on synthetic sides that advance a fake clock (so a loaded test machine changes nothing):
/// the pairs, the orders, the per-unit times, the stopping rule, the time cap, failures.
/// </summary>
public sealed class InterleavedRunnerTests
{
    private readonly FakeClock clock = new();

    private ComparisonOptions Options(ulong seed) => new() { Seed = seed, WarmupRounds = 0, SettleCap = TimeSpan.Zero, Time = clock };

    /// <summary>A side whose requests take <paramref name="ms"/>, times a log-normal factor (sd <paramref name="noise"/>) from <paramref name="seed"/>.</summary>
    private ComparisonSide Waiting(string name, double ms, int units = 1, double noise = 0.03, ulong seed = 1)
    {
        var rng = new SplitMix64(seed);
        return ComparisonSide.Of(name, () =>
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            clock.Advance(ms * Math.Exp(noise * normal));
        }, units);
    }

    [Fact]
    public void Fixed_rounds_keep_every_pair_and_every_request()
    {
        var calls = new List<string>();
        var a = ComparisonSide.Of("a", () => calls.Add("a"));
        var b = ComparisonSide.Of("b", () => calls.Add("b"));
        var r = InterleavedRunner.Run(a, b, Options(42) with { FixedRounds = 12, WarmupRounds = 2 });

        Assert.Equal(12, r.Rounds.Count);
        Assert.Equal(12 * 5, r.ARequestMs.Count);
        Assert.Equal(12 * 5, r.BRequestMs.Count);
        Assert.Equal(10, r.Conditions.WarmupRequests);
        Assert.Equal((2 + 12) * 5 * 2, calls.Count);
        Assert.Equal(StopReason.FixedRounds, r.Conditions.Stopped);
        Assert.Equal(42UL, r.Conditions.Seed);

        // Blocks of 5 of one side; after the warm-up, each round's order is the one its pair records.
        var blocks = calls.Chunk(5).ToList();
        Assert.All(blocks, block => Assert.Single(block.Distinct()));
        var measured = blocks.Skip(4).Chunk(2).ToList();
        Assert.Equal(r.Rounds.Select(p => p.AFirst ? "a" : "b"), measured.Select(m => m[0][0]));
        Assert.Contains(r.Rounds, p => p.AFirst);
        Assert.Contains(r.Rounds, p => !p.AFirst);
    }

    [Fact]
    public void The_same_seed_gives_the_same_orders()
    {
        var a = ComparisonSide.Of("a", () => { });
        var options = Options(9) with { FixedRounds = 20 };
        var first = InterleavedRunner.Run(a, a, options).Rounds.Select(p => p.AFirst);
        var again = InterleavedRunner.Run(a, a, options).Rounds.Select(p => p.AFirst);
        Assert.Equal(first, again);
    }

    [Fact]
    public void A_side_twice_as_slow_is_called_slower_with_the_ratio_inside_its_interval()
    {
        var r = InterleavedRunner.Run(Waiting("a", 10, seed: 1), Waiting("b", 20, seed: 2), Options(1) with { MaxRounds = 60 });

        Assert.Equal(Verdict.Slower, r.Ratio.Verdict);
        Assert.InRange(r.Ratio.Ratio, 1.95, 2.05);
        Assert.InRange(r.Ratio.Ratio, r.Ratio.Lower, r.Ratio.Upper);
        Assert.Equal(VerdictRule.MinRounds, r.Rounds.Count);
        Assert.Equal(StopReason.Narrow, r.Conditions.Stopped);
        Assert.Contains("seed", r.Ratio.Method, StringComparison.Ordinal);
        Assert.True(r.Conditions.Noise.Seconds >= 0);
    }

    [Fact]
    public void The_stopping_rule_stops_once_the_interval_is_narrow()
    {
        // 15% noise per request: 30 rounds are not enough for a half-width of 2.5%, more are.
        var r = InterleavedRunner.Run(Waiting("a", 10, noise: 0.15, seed: 1), Waiting("b", 10, noise: 0.15, seed: 2), Options(3));

        Assert.Equal(StopReason.Narrow, r.Conditions.Stopped);
        Assert.InRange(r.Rounds.Count, VerdictRule.MinRounds + 1, 199);
        Assert.True(r.Ratio.HalfWidth <= r.Threshold / 2);
        Assert.Contains("stopping rule met", r.StopText(), StringComparison.Ordinal);
        Assert.Equal(Verdict.Same, r.Ratio.Verdict);
    }

    [Fact]
    public void Times_are_per_unit()
    {
        // B handles 4 images a request in twice A's time: per image it takes half as long.
        var r = InterleavedRunner.Run(Waiting("a", 10, noise: 0), Waiting("b", 20, units: 4, noise: 0), Options(5) with { FixedRounds = 3 });
        Assert.All(r.Rounds, p => Assert.Equal(0.5, p.BMsPerUnit / p.AMsPerUnit, 9));
        Assert.All(r.BRequestMs, ms => Assert.Equal(20, ms, 9));
    }

    [Fact]
    public void The_time_cap_stops_an_undecided_comparison()
    {
        // Each round takes 2 x 5 x 10 ms of fake time: a 1 s cap ends it after 10 rounds, before any verdict.
        var r = InterleavedRunner.Run(Waiting("a", 10), Waiting("b", 10, seed: 2), Options(3) with { TimeCap = TimeSpan.FromSeconds(1) });
        Assert.Equal(StopReason.TimeCap, r.Conditions.Stopped);
        Assert.Equal(10, r.Rounds.Count);
        Assert.Equal(Verdict.Unknown, r.Ratio.Verdict);
        Assert.Contains("time cap", r.StopText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rounds_with_a_failed_request_are_dropped_on_both_sides()
    {
        var n = 0;
        var flaky = new ComparisonSide("flaky", () => ++n % 23 != 0);
        var r = InterleavedRunner.Run(ComparisonSide.Of("a", () => { }), flaky, Options(2) with { FixedRounds = 10 });
        Assert.Equal(10, r.Rounds.Count);
        Assert.Equal(2, r.Conditions.DroppedRounds);
        Assert.Equal(r.ARequestMs.Count, r.BRequestMs.Count);

        var failing = InterleavedRunner.Run(ComparisonSide.Of("a", () => { }), new ComparisonSide("down", () => false), Options(2) with { FixedRounds = 3 });
        Assert.Equal(StopReason.Failures, failing.Conditions.Stopped);
        Assert.Empty(failing.Rounds);
    }

    [Fact]
    public void Several_sides_are_measured_every_round_and_any_two_pair_up()
    {
        var sides = new[] { Waiting("base", 10, seed: 1), Waiting("twin", 10, seed: 2), Waiting("half", 5, seed: 3), Waiting("double", 20, seed: 4) };
        var run = InterleavedRunner.RunAll(sides, [(0, 1), (0, 2), (0, 3)], Options(8));

        Assert.Equal(StopReason.Narrow, run.Conditions.Stopped);
        Assert.All(run.RoundPositions, p => Assert.Equal([0, 1, 2, 3], p.Order()));
        Assert.True(run.RoundPositions.Select(p => p[0]).Distinct().Count() > 1, "the base side's position varies");
        Assert.Equal(Verdict.Same, run.Pair(0, 1).Ratio.Verdict);
        Assert.Equal(Verdict.Faster, run.Pair(0, 2).Ratio.Verdict);
        Assert.Equal(Verdict.Slower, run.Pair(0, 3).Ratio.Verdict);

        // Pairs not asked about are paired over the same rounds: double against half is 4x.
        var quad = run.Pair(2, 3);
        Assert.Equal(run.RoundMsPerUnit.Count, quad.Rounds.Count);
        Assert.InRange(quad.Ratio.Ratio, 3.8, 4.2);
        Assert.Equal("half", quad.AName);
    }

    [Theory]
    [InlineData(4, null, "at least 5 requests")]
    [InlineData(5, 0, "at least 1 round")]
    public void Bad_options_are_user_errors(int block, int? rounds, string expected)
    {
        var ex = Assert.Throws<RfcnPerfException>(() => new ComparisonOptions { BlockRequests = block, FixedRounds = rounds }.Validate());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private sealed class FakeClock : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => ticks;

        public void Advance(double ms) => ticks += (long)Math.Round(ms * 1e6);
    }
}
