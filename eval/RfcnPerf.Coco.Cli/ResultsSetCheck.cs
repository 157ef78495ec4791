namespace RfcnPerf.Coco.Cli;

/// <summary>
/// Checks the results files of a score as a set before any file is read (rfcnperf: the shards of one
/// <c>eval run --shard</c>, from the run.json beside each file) and returns what to apply once the ground truth
/// is loaded (restrict the images, write a note), or null when there is nothing to apply.
/// </summary>
/// <param name="options">The command's options.</param>
/// <returns>Called with the ground truth, the parameters to adjust and the error writer; or null.</returns>
public delegate Action<CocoGroundTruth, CocoEvalParams, TextWriter>? ResultsSetCheck(EvalScoreOptions options);
