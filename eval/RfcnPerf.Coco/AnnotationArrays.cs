using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>
/// Ground-truth annotations as flat arrays in file order (structure of arrays: the evaluator touches only
/// a few fields per annotation, and flat arrays keep 860k train2017 annotations cheap).
/// </summary>
internal sealed class AnnotationArrays
{
    public AnnotationArrays(
        long[] id,
        long[] imageId,
        long[] categoryId,
        double[] box,
        double[] area,
        GroundTruthFlags[] flags,
        Segmentations? segmentations = null,
        KeypointArrays? keypoints = null,
        double[]? numKeypoints = null)
    {
        Segmentations = segmentations;
        Keypoints = keypoints;
        NumKeypoints = numKeypoints;
        Id = id;
        ImageId = imageId;
        CategoryId = categoryId;
        Box = box;
        Area = area;
        Flags = flags;
        ResolvedIndex = ResolveDuplicateIds(id);
    }

    public int Count => Id.Length;

    public long[] Id { get; }

    public long[] ImageId { get; }

    public long[] CategoryId { get; }

    /// <summary>[x, y, w, h] of annotation i at 4*i.</summary>
    public double[] Box { get; }

    /// <summary>The JSON <c>area</c> field (segmentation area in real COCO), used for the area ranges.</summary>
    public double[] Area { get; }

    public GroundTruthFlags[] Flags { get; }

    /// <summary>The segmentations (read for a segm evaluation only, else null).</summary>
    public Segmentations? Segmentations { get; }

    /// <summary>The keypoints (read for a keypoints evaluation only, else null).</summary>
    public KeypointArrays? Keypoints { get; }

    /// <summary>The <c>num_keypoints</c> field (NaN where absent; read for a keypoints evaluation only, else null).</summary>
    public double[]? NumKeypoints { get; }

    /// <summary>
    /// Null when every annotation id is unique. Otherwise, for annotation i, the index of the LAST annotation
    /// with the same id: pycocotools collects ids per image (<c>getAnnIds</c>) and then looks them up in the
    /// <c>anns</c> dict (<c>loadAnns</c>), where a repeated id was overwritten by its last occurrence.
    /// </summary>
    public int[]? ResolvedIndex { get; }

    private static int[]? ResolveDuplicateIds(long[] id)
    {
        // Ids in increasing file order (as COCO writers number them) are unique: no dictionary needed.
        int increasing = 1;
        while (increasing < id.Length && id[increasing] > id[increasing - 1])
        {
            increasing++;
        }

        if (increasing >= id.Length)
        {
            return null;
        }

        var last = new Dictionary<long, int>(id.Length);
        for (int i = 0; i < id.Length; i++)
        {
            last[id[i]] = i;
        }

        if (last.Count == id.Length)
        {
            return null;
        }

        var resolved = new int[id.Length];
        for (int i = 0; i < id.Length; i++)
        {
            resolved[i] = last[id[i]];
        }

        return resolved;
    }
}
