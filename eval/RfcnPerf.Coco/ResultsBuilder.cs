namespace RfcnPerf.Coco;

/// <summary>Collects detections in file order (across several files) before they become flat arrays.</summary>
internal sealed class ResultsBuilder
{
    private readonly List<long> imageId = [];
    private readonly List<long> categoryId = [];
    private readonly List<double> box = [];
    private readonly List<double> score = [];

    public int Dropped { get; set; }

    public void Add(long detImageId, long detCategoryId, ReadOnlySpan<double> detBox, double detScore)
    {
        imageId.Add(detImageId);
        categoryId.Add(detCategoryId);
        box.AddRange(detBox);
        score.Add(detScore);
    }

    public CocoResults Build(IReadOnlyList<string> sources) =>
        new(sources, [.. imageId], [.. categoryId], [.. box], [.. score], Dropped);
}
