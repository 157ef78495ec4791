using System.Globalization;
using System.Text.Json;
using RfcnPerf.Bench.Comparisons;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Reporting;
using RfcnPerf.Reporting.Bench;
using RfcnPerf.Statistics;

namespace RfcnPerf.Bench.Reporting;

/// <summary>Writes the run's <see cref="BenchRunSummary"/> (summary.json) from the same analysis summary.md uses.</summary>
internal static class RunSummaryJson
{
    /// <summary>Slurm's description of the job, when the run is one (deploy/slurm/bench.sbatch).</summary>
    private static readonly string[] JobVariables =
        ["SLURM_JOB_ID", "SLURM_JOB_NAME", "SLURMD_NODENAME", "SLURM_JOB_PARTITION", "SLURM_CPUS_PER_TASK", "SLURM_CPUS_ON_NODE", "SLURM_JOB_CPUS_PER_NODE", "SLURM_MEM_PER_NODE"];

    public static string Write(RunRecord run, ResultAnalysis analysis)
    {
        var path = Path.Combine(run.OutputDir, BenchRunSummary.FileName);
        JsonReportFile.Write(path, From(run, analysis));
        return path;
    }

    public static BenchRunSummary From(RunRecord run, ResultAnalysis analysis) => new()
    {
        Profile = run.Profile.Name,
        CommandLine = run.CommandLine,
        StartedUtc = run.StartedUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        WallSeconds = run.WallTime.TotalSeconds,
        Host = Environment.MachineName,
        MachineDescription = run.Machine.Describe(),
        Machine = [.. run.Machine.Rows().Select(r => new KeyValuePair<string, string>(r.Name, r.Value))],
        Cpus = Environment.ProcessorCount,
        CpusAllowed = CpusAllowed(),
        LoadBefore = run.LoadBefore?.ToString(),
        LoadAfter = run.LoadAfter?.ToString(),
        Job = JobVariables.Select(v => (v, Environment.GetEnvironmentVariable(v)))
            .Where(p => !string.IsNullOrEmpty(p.Item2))
            .ToDictionary(p => p.v, p => p.Item2!),
        Cases = run.Cases.Count,
        FailedCases = run.Cases.Count(c => !c.Success),
        // The bests and the INT8 speed-up come from the paired comparisons when they ran (BenchmarkDotNet's cases
        // ran one after another and are not compared with each other); without them, from the cases as before.
        BestLatency = run.Answers.Count > 0
            ? [.. run.Answers.SelectMany(a => a.Variants.Select(v => Best(a, a.BestLatency(v))))]
            : [.. analysis.Variants.Select(analysis.BestLatency).OfType<CaseResult>().Select(Best)],
        BestThroughput = run.Answers.Count > 0
            ? [.. run.Answers.SelectMany(a => a.Variants.Select(v => Best(a, a.BestThroughput(v))))]
            : [.. analysis.Variants.Select(analysis.BestThroughput).OfType<CaseResult>().Select(Best)],
        Int8SpeedUps = run.Answers.Count > 0
            ? [.. run.Answers.Where(a => a.Int8VsFp32 is not null).Select(SpeedUp)]
            : [
                .. analysis.PrecisionPairs().Where(p => p.Fp32.IsInference).GroupBy(p => p.Fp32.Variant!.Model).Select(g => new BenchSpeedUp(
                    g.Key, g.Count(), Math.Exp(g.Average(p => Math.Log(p.SpeedUp))), g.Min(p => p.SpeedUp), g.Max(p => p.SpeedUp))),
            ],
        Comparisons = run.Answers.Count > 0 ? [.. run.Answers.SelectMany(Verdicts)] : null,
        Models = [.. run.Variants.Where(v => Sha256(v) is not null).Select(v => new BenchModelFile(v.Model, v.Precision, Sha256(v)!))],
        RawCases = RawCases(run),
    };

    /// <summary>
    /// Every successful model case with its stable key and the full JSON export that holds its raw samples (found by
    /// BenchmarkDotNet's DisplayInfo among the run's exports); a case no export holds is left out.
    /// </summary>
    private static IReadOnlyList<BenchCaseRecord> RawCases(RunRecord run)
    {
        var exportOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var export in run.Exports.Where(e => e.EndsWith("-report-full.json", StringComparison.Ordinal)))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run.OutputDir, export)));
            foreach (var benchmark in doc.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                exportOf.TryAdd(benchmark.GetProperty("DisplayInfo").GetString()!, export);
            }
        }

        return
        [
            .. run.Cases
                .Where(c => c.Success && c.Variant is not null && c.Info.RunsModel && exportOf.ContainsKey(c.Entry) && Sha256(c.Variant) is not null)
                .Select(c => new BenchCaseRecord(Key(c), c.Variant!.Model, exportOf[c.Entry], c.Entry, c.SamplesMs.Count)),
        ];
    }

    /// <summary>The stable key of a case: model file hash, precision, configuration, what was measured.</summary>
    internal static BenchCaseKey Key(CaseResult c) => new(
        Sha256(c.Variant!)!, c.Variant!.Precision, c.Point.Batch, c.Point.IntraOpThreads, c.Point.InterOp.ToString(), c.Point.Streams, c.Point.AffinityCores, $"{c.Benchmark}.{c.Method}");

    private static readonly Dictionary<ModelVariant, string?> Hashes = [];

    // A model file is hashed once per run (yolov8m is 100 MB); null when the file is not on this machine (summarising
    // copied results), and then its cases get no key.
    private static string? Sha256(ModelVariant variant)
    {
        lock (Hashes)
        {
            if (!Hashes.TryGetValue(variant, out var hash))
            {
                try
                {
                    hash = FileHash.Sha256(BenchAssets.Model(variant));
                }
                catch (RfcnPerfException)
                {
                    hash = null;
                }

                Hashes[variant] = hash;
            }

            return hash;
        }
    }

    // Version 2: the paired speed-up, its interval's ends as lowest and highest, the rounds as measurements.
    private static BenchSpeedUp SpeedUp(ModelAnswers a)
    {
        var (speedUp, lower, upper) = a.Int8VsFp32!.Ratio.AsSpeedUp();
        return new BenchSpeedUp(a.Model, a.Int8VsFp32.Rounds.Count, speedUp, lower, upper);
    }

    private static IEnumerable<BenchVerdict> Verdicts(ModelAnswers a)
    {
        static BenchVerdict V(string model, string question, Core.Comparison.ComparisonResult r) =>
            new(model, question, r.Ratio.Ratio, r.Ratio.Lower, r.Ratio.Upper, r.Ratio.Verdict.Word(), r.Rounds.Count);
        if (a.Int8VsFp32 is { } int8)
        {
            yield return V(a.Model, "INT8 / FP32 default", int8);
        }

        foreach (var (name, result) in AnswersMarkdown.Checks(a))
        {
            yield return V(a.Model, name, result);
        }

        foreach (var c in a.Candidates.Where(c => c != a.Default(c.Variant)))
        {
            yield return V(a.Model, $"{c.Variant.Precision}: {c.Label} / default", a.VsDefault(c));
        }
    }

    // The runner's best configuration with its latency figures from the same run's requests.
    private static BenchBest Best(ModelAnswers a, BestChoice choice)
    {
        var requests = a.Run.RequestMs[choice.Best.Side];
        var summary = Core.Pipeline.LatencySummary.FromRuns(requests.Select(ms => (ms, false)));
        var ties = choice.Ties.Select(t => t.Other.Label).ToList();
        return new BenchBest(a.Model, choice.Best.Variant.Precision, choice.Best.Label + (ties.Count > 0 ? $" (tie with {string.Join("; ", ties)})" : string.Empty),
            summary.P50Ms, summary.P90Ms, summary.P99Ms, summary.MeanMs, 1000 / a.MsPerImage(choice.Best));
    }

    private static BenchBest Best(CaseResult c) =>
        new(c.Variant!.Model, c.Variant.Precision, BenchmarkKinds.Configuration(c), c.P50Ms, c.P90Ms, c.P99Ms, c.MeanMs, c.ImagesPerSecond);

    private static string? CpusAllowed()
    {
        try
        {
            return File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
