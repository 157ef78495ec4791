namespace RfcnPerf.Accuracy;

/// <summary>The shards a merge holds (<see cref="ShardSet.Check"/>).</summary>
/// <param name="Model">Model name of the shards.</param>
/// <param name="Count">Shards in the run.</param>
/// <param name="Present">Shard indices given, ascending.</param>
/// <param name="Missing">Shard indices not given (empty unless an incomplete set was allowed).</param>
/// <param name="ImageIds">Images the given shards processed, ascending: the images a merged score covers.</param>
/// <param name="SetImages">Images of the run's full list before sharding and --limit.</param>
public sealed record ShardMerge(string Model, int Count, IReadOnlyList<int> Present, IReadOnlyList<int> Missing, IReadOnlyList<long> ImageIds, int SetImages);
