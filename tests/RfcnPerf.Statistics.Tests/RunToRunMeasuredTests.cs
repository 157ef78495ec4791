using System.Text.Json;

namespace RfcnPerf.Statistics.Tests;

/// <summary>
/// <see cref="RunToRunRatio"/> on the raw samples of three measured quick runs on a 2-vCPU VM (Data/run-to-run-20261206.json,
/// extracted by tools/bench-verdicts/run_to_run_reference.py, which also computes every expected number with a second,
/// standard-library implementation): A and B are two runs of one build minutes apart, C forced one intra-op thread on
/// every session, so its cases declared with two threads truly got slower.
/// </summary>
public sealed class RunToRunMeasuredTests
{
    // Both implementations take the same medians, logs and order statistics; only the last bits of exp/log may differ.
    private const double Rounding = 1e-12;

    [Theory]
    [InlineData("A:B")]
    [InlineData("A:C")]
    public void Every_number_matches_the_second_implementation(string pair)
    {
        var (cases, expected) = Load(pair);

        var (within, widened, band) = RunToRunRatio.Compare([.. cases.Select(c => (c.A, c.B))]);

        Assert.Equal(expected.GetProperty("bandHalfWidth").GetDouble(), band.HalfWidth, Rounding);
        var rows = expected.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(rows.Length, cases.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].GetProperty("ratio").GetDouble(), widened[i].Ratio, Rounding);
            Assert.Equal(rows[i].GetProperty("withinLower").GetDouble(), within[i].Lower, Rounding);
            Assert.Equal(rows[i].GetProperty("withinUpper").GetDouble(), within[i].Upper, Rounding);
            Assert.Equal(rows[i].GetProperty("lower").GetDouble(), widened[i].Lower, Rounding);
            Assert.Equal(rows[i].GetProperty("upper").GetDouble(), widened[i].Upper, Rounding);
            Assert.Equal(rows[i].GetProperty("verdict").GetString(), widened[i].Verdict.Word());
        }
    }

    [Fact]
    public void Two_runs_of_one_build_leave_all_but_one_case_undecided()
    {
        var (cases, _) = Load("A:B");

        var (_, widened, band) = RunToRunRatio.Compare([.. cases.Select(c => (c.A, c.B))]);
        var naive = cases.Count(c => UnpairedRatio.Estimate(c.A, c.B).Verdict is Verdict.Faster or Verdict.Slower);

        // Every sample unpaired (bench compare before the band) called 6 of the 20 cases faster or slower. With the band,
        // one remains: NanoDet FP32 at one thread, 20.6 ms steady in A and 16.0 ms steady in B; that model runs at one
        // level or the other for seconds at a time on this VM (both show inside single cases of both runs), which no
        // single pair of runs can tell from a change.
        Assert.Equal(6, naive);
        Assert.InRange(band.Fraction, 0.09, 0.11);
        var decided = Assert.Single(widened.Select((r, i) => (r, cases[i].Key)), t => t.r.Verdict is Verdict.Faster or Verdict.Slower);
        Assert.Equal("4b82da9944b8 FP32 batch 1 intra 1 sequential streams 1 RealTimeBenchmarks.Infer", decided.Key);
    }

    [Fact]
    public void Cases_that_lost_their_second_thread_are_slower_by_the_right_ratio()
    {
        var (cases, _) = Load("A:C");

        var (_, widened, _) = RunToRunRatio.Compare([.. cases.Select(c => (c.A, c.B))]);
        var byKey = cases.Select((c, i) => (c.Key, Ratio: widened[i])).ToDictionary(t => t.Key, t => t.Ratio);

        // yolov8n FP32 at two threads: 28.3 ms in A, 53.9 ms with one thread forced (what its intra=1 case measures).
        var yolo = byKey["9067179ab4b1 FP32 batch 1 intra 2 sequential streams 1 RealTimeBenchmarks.Infer"];
        Assert.Equal(Verdict.Slower, yolo.Verdict);
        Assert.InRange(yolo.Ratio, 1.89, 1.93);
        var nanodet = byKey["8dd32b85f2d2 INT8 batch 1 intra 2 sequential streams 1 RealTimeBenchmarks.Infer"];
        Assert.Equal(Verdict.Slower, nanodet.Verdict);
        Assert.InRange(nanodet.Ratio, 1.35, 1.39);
    }

    private static (IReadOnlyList<(string Key, IReadOnlyList<double> A, IReadOnlyList<double> B)> Cases, JsonElement Expected) Load(string pair)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "run-to-run-20261206.json")));
        var root = doc.RootElement.Clone();
        var letters = pair.Split(':');
        Dictionary<string, double[]> Run(string letter) => root.GetProperty("runs").GetProperty(letter).GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("samplesMs").EnumerateArray().Select(v => v.GetDouble()).ToArray());
        var a = Run(letters[0]);
        var b = Run(letters[1]);
        var expected = root.GetProperty("pairs").GetProperty(pair);

        // In the base run's order, as bench compare matches them.
        var cases = expected.GetProperty("cases").EnumerateArray()
            .Select(c => c.GetProperty("key").GetString()!)
            .Select(k => (k, (IReadOnlyList<double>)a[k], (IReadOnlyList<double>)b[k]))
            .ToArray();
        return (cases, expected);
    }
}
