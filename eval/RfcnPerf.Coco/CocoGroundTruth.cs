using RfcnPerf.Coco.Json;

namespace RfcnPerf.Coco;

/// <summary>
/// COCO ground truth (an <c>instances_*.json</c> file): images in file order, categories sorted by id, and
/// the bbox annotations the evaluator needs, held in flat arrays. Mirrors what pycocotools' <c>COCO(gt)</c>
/// indexes (<c>imgs</c>, <c>cats</c>, <c>anns</c>, <c>imgToAnns</c>), with the file checked as it is read.
/// </summary>
public sealed class CocoGroundTruth
{
    private readonly Dictionary<long, int> imageIndexById;
    private readonly Dictionary<long, int> categoryIndexById;

    internal CocoGroundTruth(
        string source,
        List<CocoImage> images,
        Dictionary<long, int> imageIndexById,
        List<CocoCategory> categories,
        AnnotationArrays annotations,
        CocoIouType iouType)
    {
        IouType = iouType;
        Source = source;
        Images = images;
        this.imageIndexById = imageIndexById;
        categories.Sort((a, b) => a.Id.CompareTo(b.Id));
        Categories = categories;
        categoryIndexById = new Dictionary<long, int>(categories.Count);
        for (int i = 0; i < categories.Count; i++)
        {
            categoryIndexById[categories[i].Id] = i;
        }

        Annotations = annotations;
    }

    /// <summary>The file this ground truth was read from.</summary>
    public string Source { get; }

    /// <summary>
    /// The images in file order. A repeated id keeps its first position and its last entry, as Python's
    /// <c>imgs[id] = img</c> does.
    /// </summary>
    public IReadOnlyList<CocoImage> Images { get; }

    /// <summary>The categories sorted by id (a repeated id keeps its last entry).</summary>
    public IReadOnlyList<CocoCategory> Categories { get; }

    /// <summary>
    /// What the file was read for: masks are read only for <see cref="CocoIouType.Segm"/>, keypoints only for
    /// <see cref="CocoIouType.Keypoints"/>; an evaluation of another type needs the file read for it.
    /// </summary>
    public CocoIouType IouType { get; }

    /// <summary>Number of annotations in the file.</summary>
    public int AnnotationCount => Annotations.Count;

    internal AnnotationArrays Annotations { get; }

    /// <summary>Annotation <paramref name="index"/> (0-based, file order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, <see cref="AnnotationCount"/>).</exception>
    public CocoAnnotation GetAnnotation(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Annotations.Count, nameof(index));
        var a = Annotations;
        return new CocoAnnotation(
            a.Id[index], a.ImageId[index], a.CategoryId[index],
            a.Box[4 * index], a.Box[(4 * index) + 1], a.Box[(4 * index) + 2], a.Box[(4 * index) + 3],
            a.Area[index], (a.Flags[index] & GroundTruthFlags.Ignore) != 0);
    }

    /// <summary>Reads a COCO ground-truth file for a bbox evaluation, streaming (the file is never held whole in memory).</summary>
    /// <inheritdoc cref="Load(string, CocoIouType, int)"/>
    public static CocoGroundTruth Load(string path) => Load(path, CocoIouType.Bbox);

    /// <summary>Reads a COCO ground-truth file, streaming, with what an evaluation of <paramref name="iouType"/> needs.</summary>
    /// <param name="path">Path of the <c>instances_*.json</c> (or <c>person_keypoints_*.json</c>) file.</param>
    /// <param name="iouType">Also read segmentations (segm) or keypoints (keypoints).</param>
    /// <exception cref="CocoException">The file is missing, is not valid JSON, or an annotation lacks a field the
    /// evaluator needs (<c>id</c>, <c>image_id</c>, <c>category_id</c>, <c>bbox</c>, <c>area</c>, <c>iscrowd</c>), a
    /// segmentation or keypoints list is malformed, a mask's size is not its image's, or keypoints do not number what
    /// their category declares; the message names the file, the record index and the field.</exception>
    /// <param name="maxDegreeOfParallelism">Threads that read a large file in parts; 0 or less means one per core.
    /// The ground truth is the same for any count.</param>
    public static CocoGroundTruth Load(string path, CocoIouType iouType, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParallelGroundTruth.Load(path, iouType, maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount);
    }

    /// <summary>
    /// Ground-truth boxes per category id with crowd regions left out (<c>iscrowd</c> not 0, what the evaluator
    /// ignores), counting every annotation record on <paramref name="imageIds"/> (all of them when null): so a
    /// reader can tell a per-class AP swing on 3 boxes from one on 300.
    /// </summary>
    public IReadOnlyDictionary<long, int> NonCrowdCountByCategory(IReadOnlySet<long>? imageIds)
    {
        var counts = new Dictionary<long, int>();
        for (int i = 0; i < Annotations.Count; i++)
        {
            if ((Annotations.Flags[i] & GroundTruthFlags.Ignore) == 0 && (imageIds is null || imageIds.Contains(Annotations.ImageId[i])))
            {
                counts[Annotations.CategoryId[i]] = counts.GetValueOrDefault(Annotations.CategoryId[i]) + 1;
            }
        }

        return counts;
    }

    /// <summary>Whether <paramref name="imageId"/> is one of <see cref="Images"/>.</summary>
    public bool ContainsImage(long imageId) => imageIndexById.ContainsKey(imageId);

    /// <summary>The image with id <paramref name="imageId"/>, if any.</summary>
    public bool TryGetImage(long imageId, out CocoImage image)
    {
        if (imageIndexById.TryGetValue(imageId, out int i))
        {
            image = Images[i];
            return true;
        }

        image = null!;
        return false;
    }

    /// <summary>The category with id <paramref name="categoryId"/>, if any.</summary>
    public bool TryGetCategory(long categoryId, out CocoCategory category)
    {
        if (categoryIndexById.TryGetValue(categoryId, out int i))
        {
            category = Categories[i];
            return true;
        }

        category = null!;
        return false;
    }
}
