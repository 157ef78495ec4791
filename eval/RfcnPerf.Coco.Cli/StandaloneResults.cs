namespace RfcnPerf.Coco.Cli;

/// <summary>
/// rfcnperf-eval's <see cref="ResultsSetCheck"/>: it does not read eval run shard sets (their run.json belongs to
/// the full rfcnperf), so a results file with a run.json beside it is refused with the command to use instead.
/// rfcnperf itself never passes such a score here: it scores it in-process.
/// </summary>
internal static class StandaloneResults
{
    public static Action<CocoGroundTruth, CocoEvalParams, TextWriter>? Check(EvalScoreOptions options)
    {
        foreach (string path in options.Results)
        {
            string runJson = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", "run.json");
            if (File.Exists(runJson))
            {
                throw new CocoException($"{path}: {runJson} beside it may describe an eval run shard, which only rfcnperf reads: score with 'rfcnperf eval score'");
            }
        }

        return null;
    }
}
