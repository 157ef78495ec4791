using System.Globalization;
using System.Text.Json;
using RfcnPerf.Reporting.Bench;

namespace RfcnPerf.Reporting.Tests;

/// <summary>
/// Writes a benchmark run folder as run-bench does: summary.json (version 2) and a BenchmarkDotNet full JSON export
/// holding each case's warm-up and Workload/Actual measurements (the raw samples bench compare reads).
/// </summary>
internal static class BenchRunFolder
{
    /// <summary>One case: display model name, file hash, precision, intra-op threads, its per-operation times (ms).</summary>
    public sealed record Case(string Model, string Sha256, string Precision, int IntraOp, double[] SamplesMs, int Operations = 1);

    public static string Write(string dir, IReadOnlyList<Case> cases, string profile = "quick", bool withExport = true)
    {
        Directory.CreateDirectory(Path.Combine(dir, "results"));
        const string export = "results/RfcnPerf.Bench.Benchmarks.RealTimeBenchmarks-report-full.json";
        var benchmarks = cases.Select((c, i) => new
        {
            DisplayInfo = string.Create(CultureInfo.InvariantCulture, $"RealTimeBenchmarks.Run: real-time [Variant={c.Model} {c.Precision}, IntraOp={c.IntraOp}] #{i}"),
            Measurements = (object[])
            [
                // Warm-up iterations are far off: they must not count.
                new { IterationMode = "Workload", IterationStage = "Warmup", Operations = c.Operations, Nanoseconds = 1e9 },
                .. c.SamplesMs.Select(ms => new { IterationMode = "Workload", IterationStage = "Actual", Operations = c.Operations, Nanoseconds = ms * 1e6 * c.Operations }),
                .. c.SamplesMs.Select(ms => new { IterationMode = "Workload", IterationStage = "Result", Operations = c.Operations, Nanoseconds = 1.0 }),
            ],
        }).ToList();
        if (withExport)
        {
            File.WriteAllText(Path.Combine(dir, export), JsonSerializer.Serialize(new { Title = "t", Benchmarks = benchmarks }));
        }

        var summary = new BenchRunSummary
        {
            Profile = profile,
            CommandLine = "run-bench " + profile,
            StartedUtc = "2026-12-01T10:00:00Z",
            WallSeconds = 60,
            Host = "host",
            MachineDescription = "test machine",
            Machine = [new("CPU", "test")],
            Cpus = 2,
            Cases = cases.Count,
            FailedCases = 0,
            BestLatency = [],
            BestThroughput = [],
            Int8SpeedUps = [],
            Models = [.. cases.Select(c => new BenchModelFile(c.Model, c.Precision, c.Sha256)).Distinct()],
            RawCases =
            [
                .. cases.Select((c, i) => new BenchCaseRecord(
                    new BenchCaseKey(c.Sha256, c.Precision, 1, c.IntraOp, "sequential", 1, null, "RealTimeBenchmarks.Infer"),
                    c.Model, export, benchmarks[i].DisplayInfo, c.SamplesMs.Length)),
            ],
        };
        JsonReportFile.Write(Path.Combine(dir, BenchRunSummary.FileName), summary);
        return dir;
    }

    /// <summary><paramref name="n"/> times around <paramref name="medianMs"/>, log-normal with sd 3%, from <paramref name="seed"/>.</summary>
    public static double[] Times(int n, double medianMs, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => medianMs * Math.Exp(0.03 * (Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()))))];
    }
}
