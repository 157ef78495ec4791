namespace RfcnPerf.Accuracy;

/// <summary>
/// Which part of a sharded run a run.json holds (<c>eval run --shard i/n</c>), so that a merge can tell whether
/// it has every shard of one run. Written into each shard's run.json; null for an unsharded run.
/// </summary>
/// <param name="Index">This shard, 0-based.</param>
/// <param name="Count">Number of shards of the run.</param>
/// <param name="SetId">Hash of everything the shards of one run share: model sha256, session settings, batch,
/// family, post-processing, --limit, the shard count and the full (unsharded) image list by id and file name.
/// Paths are left out, so shards that ran on nodes mounting the data in different places still match.</param>
/// <param name="SetImages">Images of the full list before sharding (before --limit).</param>
public sealed record ShardInfo(int Index, int Count, string SetId, int SetImages);
