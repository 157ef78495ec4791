using System.Globalization;
using Xunit.Abstractions;

namespace RfcnPerf.Statistics.Tests;

/// <summary>
/// Run against run (<see cref="RunToRunRatio"/>) on synthetic pairs of runs made the way a shared 2-vCPU machine makes
/// them: every case of every run gets its own level shift drawn from a known spread (the run-to-run noise), and the
/// samples of a case drift together (slow spells last tens of samples). Seeds are fixed, so the counts are the same on
/// every run; the bounds are what a 95% method must achieve.
/// </summary>
public sealed class RunToRunTests(ITestOutputHelper output)
{
    private const int Trials = 200;
    private const int CasesPerRun = 20;
    private const int SamplesPerCase = 100;

    // Two runs of one build: at most 5% of the case verdicts may be faster or slower (the verdict's 95% level).
    private const double MaxFalseVerdicts = 0.05;

    // A true 1.3x change of a few cases (3 of 20), at a run-to-run spread of 2.5% a run, must come out "slower" in at
    // least 95% of them. The larger the spread, or the more cases truly change (the band is estimated from all of
    // them), the larger a change must be to clear the band; below that it reads "unknown", never "faster" or "same".
    private const double MinTrueSlower = 0.95;

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.04)] // about this machine's: two quiet quick runs of one build gave a robust sd of 0.050 of the per-case log ratio, i.e. 0.035 a run
    [InlineData(0.08)]
    public void Two_runs_of_one_build_are_rarely_called_faster_or_slower(double runSpread)
    {
        int wrong = 0, naiveWrong = 0, total = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var rng = new SplitMix64((ulong)(runSpread * 1e4) * 1_000_003UL + (ulong)trial);
            var cases = Enumerable.Range(0, CasesPerRun).Select(c => PairOfRuns(rng, 10 + c, runSpread, 1.0)).ToArray();
            var (_, widened, _) = RunToRunRatio.Compare(cases);
            wrong += widened.Count(r => r.Verdict is Verdict.Faster or Verdict.Slower);
            total += widened.Count;
            if (trial < Trials / 4)
            {
                // The unpaired test on every sample, as bench compare did before: it should fail this test.
                naiveWrong += cases.Count(c => UnpairedRatio.Estimate(c.A, c.B).Verdict is Verdict.Faster or Verdict.Slower);
            }
        }

        var rate = wrong / (double)total;
        var naiveRate = naiveWrong / (double)(total / 4);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run spread {runSpread:F2}: {wrong}/{total} = {rate:P1} faster or slower (every sample unpaired, no band: {naiveRate:P1})"));
        Assert.InRange(rate, 0, MaxFalseVerdicts);
        if (runSpread >= 0.04)
        {
            // The test can fail: without the blocks and the band, the same data give many wrong verdicts.
            Assert.True(naiveRate > 4 * MaxFalseVerdicts, string.Create(CultureInfo.InvariantCulture, $"the unpaired test was expected to fail here, gave {naiveRate:P1}"));
        }
    }

    [Fact]
    public void A_true_1_3x_change_comes_out_slower_with_its_ratio()
    {
        const double RunSpread = 0.025;
        const int Changed = 3;
        int slower = 0, changedTotal = 0, wrongOthers = 0, othersTotal = 0, covered = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var rng = new SplitMix64(77_000UL + (ulong)trial);
            var cases = Enumerable.Range(0, CasesPerRun).Select(c => PairOfRuns(rng, 10 + c, RunSpread, c < Changed ? 1.3 : 1.0)).ToArray();
            var (_, widened, band) = RunToRunRatio.Compare(cases);
            Assert.True(band.IsKnown);
            for (var c = 0; c < CasesPerRun; c++)
            {
                if (c < Changed)
                {
                    changedTotal++;
                    slower += widened[c].Verdict == Verdict.Slower ? 1 : 0;
                    covered += widened[c].Lower <= 1.3 && 1.3 <= widened[c].Upper ? 1 : 0;
                }
                else
                {
                    othersTotal++;
                    wrongOthers += widened[c].Verdict is Verdict.Faster or Verdict.Slower ? 1 : 0;
                }
            }
        }

        output.WriteLine($"1.3x: {slower}/{changedTotal} slower, {covered}/{changedTotal} intervals contain 1.3; unchanged cases: {wrongOthers}/{othersTotal} faster or slower");
        Assert.InRange(slower / (double)changedTotal, MinTrueSlower, 1);
        Assert.InRange(covered / (double)changedTotal, MinTrueSlower, 1);
        Assert.InRange(wrongOthers / (double)othersTotal, 0, MaxFalseVerdicts);
    }

    [Fact]
    public void A_slow_spell_over_most_of_one_case_is_not_called_slower()
    {
        // Two quiet runs of one build measured a NanoDet case at 84 ms for its first 60 samples and 52 ms after (the
        // other run: 49 ms throughout); every sample unpaired called it 1.525x slower [1.393, 1.584].
        var rng = new SplitMix64(5);
        var cases = Enumerable.Range(0, CasesPerRun).Select(c => PairOfRuns(rng, 10 + c, 0.02, 1.0)).ToList();
        var spell = Series(rng, 49, SamplesPerCase).Select((t, i) => i < 60 ? t * 84 / 49 : t * 52 / 49).ToArray();
        cases[0] = (Series(rng, 49, SamplesPerCase), spell);

        var (within, widened, _) = RunToRunRatio.Compare(cases);

        Assert.Equal(Verdict.Slower, UnpairedRatio.Estimate(cases[0].A, cases[0].B).Verdict);
        Assert.True(within[0].Lower < 1.15, $"the blocks' interval should reach down towards 1, got {within[0]}");
        Assert.Equal(Verdict.Unknown, widened[0].Verdict);
    }

    [Fact]
    public void A_change_of_every_case_alike_does_not_widen_the_band()
    {
        // The same draws twice (the ratio does not change what is drawn), once with every case of B 1.2x slower.
        IReadOnlyList<(IReadOnlyList<double> A, IReadOnlyList<double> B)> Runs(double ratio)
        {
            var rng = new SplitMix64(9);
            return [.. Enumerable.Range(0, CasesPerRun).Select(c => PairOfRuns(rng, 10 + c, 0.01, ratio))];
        }

        var unchanged = RunToRunRatio.Compare(Runs(1.0));
        var slower = RunToRunRatio.Compare(Runs(1.2));

        const double Rounding = 1e-9;
        Assert.Equal(unchanged.Band.HalfWidth, slower.Band.HalfWidth, Rounding);
        Assert.All(slower.Widened, r => Assert.Equal(Verdict.Slower, r.Verdict));
    }

    [Fact]
    public void The_band_needs_eight_cases_unless_given()
    {
        var rng = new SplitMix64(3);
        var seven = Enumerable.Range(0, RunToRunRatio.MinCasesForBand - 1).Select(c => PairOfRuns(rng, 10 + c, 0.01, 1.5)).ToArray();

        var (within, widened, band) = RunToRunRatio.Compare(seven);

        Assert.False(band.IsKnown);
        Assert.Contains("not estimable from 7 matched cases (it needs 8; give --noise)", band.Describe(), StringComparison.Ordinal);
        Assert.All(within, r => Assert.Equal(Verdict.Slower, r.Verdict));
        Assert.All(widened, r => Assert.Equal(Verdict.Unknown, r.Verdict));

        var given = RunToRunRatio.Compare(seven, givenBand: NoiseBand.Parse("10%"));
        Assert.Equal("±10.0% (given with --noise)", given.Band.Describe());
        Assert.All(given.Widened, r => Assert.Equal(Verdict.Slower, r.Verdict));
    }

    [Fact]
    public void Widening_moves_each_end_out_by_the_band()
    {
        var within = new RatioEstimate(1.2, 1.1, 1.5, 100, 0.05, Verdict.Slower, "m");

        var wide = RunToRunRatio.Widen(within, NoiseBand.FromFraction(0.10));

        const double Rounding = 1e-12;
        Assert.Equal(1.1 / 1.1, wide.Lower, Rounding);
        Assert.Equal(1.5 * 1.1, wide.Upper, Rounding);
        Assert.Equal(1.2, wide.Ratio);
        Assert.Equal(Verdict.Unknown, wide.Verdict);
        Assert.Contains("widened on each side by the between-run noise band ±10.0% (given with --noise)", wide.Method, StringComparison.Ordinal);
        var none = RunToRunRatio.Widen(within, NoiseBand.FromFraction(0));
        Assert.Equal(within.Lower, none.Lower, Rounding);
        Assert.Equal(within.Upper, none.Upper, Rounding);
        Assert.Equal(Verdict.Slower, none.Verdict);
    }

    [Fact]
    public void Blocks_are_consecutive_and_the_spread_is_the_median_absolute_deviation()
    {
        // 7 samples in 5 blocks: [0, 1), [1, 2), [2, 4), [4, 5), [5, 7).
        Assert.Equal(new[] { 1.0, 2, 3.5, 5, 6.5 }, RunToRunRatio.BlockLogMedians([1.0, 2, 3, 4, 5, 6, 7]));
        Assert.Equal(new[] { 4.0, 1 }, RunToRunRatio.BlockLogMedians([4.0, 1]));

        // median 3; |x - 3| = 2, 1, 0, 1, 97: median 1.
        Assert.Equal(1.0, RunToRunRatio.MedianAbsoluteDeviation([1.0, 2, 3, 4, 100]));
    }

    [Theory]
    [InlineData("10%", 0.10)]
    [InlineData("0.25", 0.25)]
    [InlineData("0", 0.0)]
    public void Noise_bands_parse_as_users_write_them(string text, double fraction)
    {
        const double Rounding = 1e-12;
        Assert.Equal(fraction, NoiseBand.Parse(text).Fraction, Rounding);
    }

    [Theory]
    [InlineData("lots", "noise band 'lots' is not a number (write 10% or 0.10)")]
    [InlineData("100%", "noise band '100%' must lie in [0%, 100%)")]
    [InlineData("-1%", "noise band '-1%' must lie in [0%, 100%)")]
    public void Bad_noise_bands_are_refused_naming_the_text(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => NoiseBand.Parse(text)).Message);

    /// <summary>
    /// One case in two runs: each run's level is the case's median times exp(N(0, <paramref name="runSpread"/>)), B's
    /// times <paramref name="ratio"/>; within a run the samples follow <see cref="Series"/>.
    /// </summary>
    private static (IReadOnlyList<double> A, IReadOnlyList<double> B) PairOfRuns(SplitMix64 rng, double medianMs, double runSpread, double ratio)
    {
        var a = Series(rng, medianMs * Math.Exp(runSpread * CoverageTests.Normal(rng)), SamplesPerCase);
        var b = Series(rng, medianMs * ratio * Math.Exp(runSpread * CoverageTests.Normal(rng)), SamplesPerCase);
        return (a, b);
    }

    /// <summary>
    /// <paramref name="n"/> samples around <paramref name="levelMs"/>: a drift shared by neighbouring samples (AR(1),
    /// 0.9, sd about 2%), per-sample log-normal noise (sd 3%), and one sample in 20 hit by a 30% stall.
    /// </summary>
    private static double[] Series(SplitMix64 rng, double levelMs, int n)
    {
        var drift = 0.0;
        var times = new double[n];
        for (var i = 0; i < n; i++)
        {
            drift = (0.9 * drift) + (0.01 * CoverageTests.Normal(rng));
            times[i] = levelMs * Math.Exp(drift + (0.03 * CoverageTests.Normal(rng)) + (rng.NextDouble() < 0.05 ? Math.Log(1.3) : 0));
        }

        return times;
    }
}
