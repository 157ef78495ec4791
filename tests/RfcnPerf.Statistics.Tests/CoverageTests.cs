using System.Globalization;
using Xunit.Abstractions;

namespace RfcnPerf.Statistics.Tests;

/// <summary>
/// The paired ratio's interval on synthetic rounds with a known true ratio: how often it contains the truth, and
/// how often an A/A comparison is wrongly called faster or slower. Seeds are fixed, so the counts are the same on
/// every run (the test cannot flake); the bounds are what a 95% interval must achieve.
/// </summary>
public sealed class CoverageTests(ITestOutputHelper output)
{
    private const int Trials = 1000;

    // A 95% interval should contain the truth 95% of the time; 93-97% allows the binomial spread of 1,000 trials
    // (sd 0.7 points) and the percentile bootstrap's known slight under-coverage for a median of few rounds.
    private const double MinCoverage = 0.93;
    private const double MaxCoverage = 0.97;

    // A/A: the interval must lie wholly beyond 1 +- 5% to be called faster or slower; at most 5% of trials may.
    private const double MaxFalseVerdicts = 0.05;

    [Theory]
    [InlineData(1.00, 30)]
    [InlineData(1.02, 30)]
    [InlineData(1.05, 30)]
    [InlineData(1.10, 30)]
    [InlineData(1.00, 60)]
    [InlineData(1.02, 60)]
    [InlineData(1.05, 60)]
    [InlineData(1.10, 60)]
    public void IntervalsContainTheInjectedRatio(double truth, int rounds)
    {
        var covered = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            // Each ratio and round count draws its own rounds (the ratio is scale-free in logs: with shared seeds
            // every ratio would repeat one experiment).
            var stream = (ulong)(truth * 1000) * 1_000_003UL + ((ulong)rounds * 10_007UL) + (ulong)trial;
            var (a, b) = SyntheticRounds(truth, rounds, seed: stream * 7919);
            var r = PairedRatio.Estimate(a, b, seed: stream);
            if (r.Lower <= truth && truth <= r.Upper)
            {
                covered++;
            }
        }

        var coverage = covered / (double)Trials;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio {truth:F2}, {rounds} rounds: {covered}/{Trials} = {coverage:P1} of intervals contain it"));
        Assert.InRange(coverage, MinCoverage, MaxCoverage);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(60)]
    public void AaPairsAreRarelyCalledFasterOrSlower(int rounds)
    {
        var wrong = 0;
        var same = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var (a, b) = SyntheticRounds(1.0, rounds, seed: (ulong)(trial + 1) * 104729);
            var verdict = PairedRatio.Estimate(a, b, seed: (ulong)trial + 11).Verdict;
            wrong += verdict is Verdict.Faster or Verdict.Slower ? 1 : 0;
            same += verdict == Verdict.Same ? 1 : 0;
        }

        output.WriteLine($"A/A, {rounds} rounds: {wrong}/{Trials} faster or slower, {same}/{Trials} same");
        Assert.InRange(wrong / (double)Trials, 0, MaxFalseVerdicts);
    }

    /// <summary>
    /// Rounds as a shared 2-vCPU machine makes them: a slow drift common to both sides of a round (the load of the
    /// moment), per-request log-normal noise (sd 5%), and one request in 20 hit by a 30% stall, on either side.
    /// </summary>
    internal static (double[] A, double[] B) SyntheticRounds(double ratio, int rounds, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var a = new double[rounds];
        var b = new double[rounds];
        var drift = 0.0;
        for (var i = 0; i < rounds; i++)
        {
            drift = (0.9 * drift) + (0.05 * Normal(rng));
            a[i] = 40 * Math.Exp(drift + Noise(rng));
            b[i] = 40 * ratio * Math.Exp(drift + Noise(rng));
        }

        return (a, b);
    }

    private static double Noise(SplitMix64 rng) => (0.05 * Normal(rng)) + (rng.NextDouble() < 0.05 ? Math.Log(1.3) : 0);

    // Box-Muller.
    internal static double Normal(SplitMix64 rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
