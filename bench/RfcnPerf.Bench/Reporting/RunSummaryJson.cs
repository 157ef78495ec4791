using System.Globalization;
using RfcnPerf.Reporting;
using RfcnPerf.Reporting.Bench;

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
        BestLatency = [.. analysis.Variants.Select(analysis.BestLatency).OfType<CaseResult>().Select(Best)],
        BestThroughput = [.. analysis.Variants.Select(analysis.BestThroughput).OfType<CaseResult>().Select(Best)],
        Int8SpeedUps =
        [
            .. analysis.PrecisionPairs().Where(p => p.Fp32.IsInference).GroupBy(p => p.Fp32.Variant!.Model).Select(g => new BenchSpeedUp(
                g.Key, g.Count(), Math.Exp(g.Average(p => Math.Log(p.SpeedUp))), g.Min(p => p.SpeedUp), g.Max(p => p.SpeedUp))),
        ],
    };

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
