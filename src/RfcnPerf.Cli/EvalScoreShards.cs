using System.Globalization;
using RfcnPerf.Accuracy;
using RfcnPerf.Coco;
using RfcnPerf.Coco.Cli;

namespace RfcnPerf.Cli;

/// <summary>
/// <c>eval score</c>'s view of the shards of one <c>eval run --shard i/n</c> (a run.json beside each results file):
/// all of them or a refusal naming the missing ones, and by default the images they processed (with --limit,
/// fewer than the ground truth's).
/// </summary>
internal static class EvalScoreShards
{
    /// <inheritdoc cref="ResultsSetCheck"/>
    public static Action<CocoGroundTruth, CocoEvalParams, TextWriter>? Check(EvalScoreOptions options)
    {
        var shards = ShardSet.Check(options.Results, options.AllowMissingShards);
        return shards is null ? null : (gt, parameters, error) => Note(shards, gt, parameters, options.ImgIds is not null, error);
    }

    /// <summary>Says what the merge holds; restricts the evaluation to the shards' images when they are not the whole ground truth.</summary>
    private static void Note(ShardMerge shards, CocoGroundTruth gt, CocoEvalParams parameters, bool explicitImgIds, TextWriter error)
    {
        var restrict = !explicitImgIds && shards.ImageIds.Count != gt.Images.Count;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"note: {shards.Present.Count} of {shards.Count} shards of {shards.Model}, {shards.ImageIds.Count} images{(restrict ? " (scored on these images only, as the unsharded run would be; --img-ids overrides)" : string.Empty)}{(shards.Missing.Count > 0 ? $"; MISSING shards {string.Join(", ", shards.Missing)}: these stats are not the run's" : string.Empty)}"));
        if (restrict)
        {
            parameters.ImgIds = shards.ImageIds;
        }
    }
}
