namespace RfcnPerf.Coco;

/// <summary>The evaluation parameters recorded in a score file.</summary>
/// <param name="UseCats">Per-category (true) or class-agnostic evaluation.</param>
/// <param name="ImgIdsCount">Images evaluated.</param>
/// <param name="CatIds">Categories evaluated.</param>
/// <param name="MaxDets">maxDets.</param>
public sealed record CocoScoreParams(bool UseCats, int ImgIdsCount, IReadOnlyList<long> CatIds, IReadOnlyList<int> MaxDets);
