namespace RfcnPerf.Core.Models;

/// <summary>
/// Maps a model's class index to a COCO category id and name. Families with 80 class indices map index i to
/// the i-th category of the annotation file sorted by id (1..90 with gaps, docs/MODELS.md §3).
/// </summary>
public sealed class CategoryMap
{
    private static readonly string[] Coco80Names =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
        "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
        "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
        "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard",
        "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase",
        "scissors", "teddy bear", "hair drier", "toothbrush",
    ];

    private static readonly int[] Coco80Ids =
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 31, 32,
        33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
        60, 61, 62, 63, 64, 65, 67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90,
    ];

    private readonly int[] ids;
    private readonly Dictionary<int, string> namesById;

    private CategoryMap(int[] ids, string[] names)
    {
        this.ids = ids;
        namesById = new Dictionary<int, string>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            namesById[ids[i]] = names[i];
        }
    }

    /// <summary>The standard COCO 2017 80 categories (used when no annotation file is given).</summary>
    public static CategoryMap Coco80 { get; } = new(Coco80Ids, Coco80Names);

    /// <summary>Category ids in class-index order.</summary>
    public IReadOnlyList<int> Ids => ids;

    /// <summary>Number of class indices.</summary>
    public int Count => ids.Length;

    /// <summary>Builds the map from an annotation file's categories (any order; sorted by id here).</summary>
    public static CategoryMap FromCategories(IEnumerable<(int Id, string Name)> categories)
    {
        var sorted = categories.OrderBy(c => c.Id).ToArray();
        if (sorted.Length == 0)
        {
            throw new RfcnPerfException("the annotation file has no categories");
        }

        return new CategoryMap(sorted.Select(c => c.Id).ToArray(), sorted.Select(c => c.Name).ToArray());
    }

    /// <summary>Category id for a class index; throws when the model has more classes than the map.</summary>
    public int IdOf(int classIndex) => (uint)classIndex < (uint)ids.Length
        ? ids[classIndex]
        : throw new RfcnPerfException($"the model predicted class index {classIndex} but the category map has {ids.Length} categories");

    /// <summary>Name of a category id, or <c>id N</c> when unknown.</summary>
    public string NameOf(int categoryId) => namesById.TryGetValue(categoryId, out var n) ? n : $"id {categoryId}";
}
