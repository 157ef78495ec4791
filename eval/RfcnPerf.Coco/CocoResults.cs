using RfcnPerf.Coco.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>
/// Detections to evaluate, in COCO results form, checked against a ground truth (pycocotools: <c>COCO.loadRes</c>).
/// Several files are concatenated in the order given, so the shards of one run score exactly as the whole. Result
/// ids are their 1-based position in that order, as loadRes numbers them. As in loadRes, the first result picks
/// how every result's area is found, whatever the file says: with a <c>bbox</c>, <c>w * h</c>; else from the mask
/// (segm) or from the keypoints' extent (keypoints).
/// </summary>
public sealed class CocoResults
{
    internal CocoResults(
        IReadOnlyList<string> sources,
        CocoIouType iouType,
        long[] imageId,
        long[] categoryId,
        double[] box,
        double[] score,
        double[] area,
        Segmentations? segmentations,
        KeypointArrays? keypoints,
        int dropped)
    {
        Sources = sources;
        IouType = iouType;
        Area = area;
        Segmentations = segmentations;
        Keypoints = keypoints;
        ImageId = imageId;
        CategoryId = categoryId;
        Box = box;
        Score = score;
        DroppedUnknownImageCount = dropped;
    }

    /// <summary>The files read, in order (empty for in-memory detections).</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>What the files were read for (masks are read for segm, keypoints for keypoints).</summary>
    public CocoIouType IouType { get; }

    /// <summary>Number of detections kept.</summary>
    public int Count => Score.Length;

    /// <summary>Detections dropped because their image id is not in the ground truth (only when asked to drop).</summary>
    public int DroppedUnknownImageCount { get; }

    internal long[] ImageId { get; }

    internal long[] CategoryId { get; }

    /// <summary>[x, y, w, h] of detection i at 4*i.</summary>
    internal double[] Box { get; }

    internal double[] Score { get; }

    /// <summary>The area loadRes gives each detection (w * h, the mask's area, or the keypoints' extent).</summary>
    internal double[] Area { get; }

    internal Segmentations? Segmentations { get; }

    internal KeypointArrays? Keypoints { get; }

    /// <summary>Detection <paramref name="index"/> (0-based, in file order).</summary>
    public CocoDetection this[int index] => new(
        ImageId[index], CategoryId[index], Box[4 * index], Box[(4 * index) + 1], Box[(4 * index) + 2], Box[(4 * index) + 3], Score[index]);

    /// <summary>Reads one results file for the evaluation the ground truth was read for.</summary>
    /// <inheritdoc cref="Load(IReadOnlyList{string}, CocoGroundTruth, CocoIouType, bool, int)"/>
    public static CocoResults Load(string path, CocoGroundTruth groundTruth, bool dropUnknownImages = false) =>
        Load([path], groundTruth, dropUnknownImages);

    /// <summary>Reads results files for the evaluation the ground truth was read for (<see cref="CocoGroundTruth.IouType"/>).</summary>
    /// <inheritdoc cref="Load(IReadOnlyList{string}, CocoGroundTruth, CocoIouType, bool, int)"/>
    public static CocoResults Load(IReadOnlyList<string> paths, CocoGroundTruth groundTruth, bool dropUnknownImages = false)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        return Load(paths, groundTruth, groundTruth.IouType, dropUnknownImages);
    }

    /// <summary>Reads results files and concatenates them in the order given (streaming, file by file).</summary>
    /// <param name="paths">One or more COCO results files (JSON arrays; an empty array is allowed).</param>
    /// <param name="groundTruth">The ground truth every <c>image_id</c> must belong to.</param>
    /// <param name="iouType">What to read besides boxes: masks (segm) or keypoints (keypoints).</param>
    /// <param name="dropUnknownImages">Drop results whose image is not in the ground truth (counted in
    /// <see cref="DroppedUnknownImageCount"/>) instead of failing.</param>
    /// <param name="maxDegreeOfParallelism">Threads that read a large file in parts; 0 or less means one per core.
    /// The detections are the same for any count.</param>
    /// <exception cref="CocoException">A file is missing or malformed, a result lacks <c>image_id</c>,
    /// <c>category_id</c>, <c>score</c> or what its branch of loadRes needs (<c>bbox</c>, a mask, keypoints), a
    /// number is not finite, a bbox is not 4 numbers, a mask is not its image's size, or an image id is unknown;
    /// the message names the file, the record index and the field.</exception>
    public static CocoResults Load(IReadOnlyList<string> paths, CocoGroundTruth groundTruth, CocoIouType iouType, bool dropUnknownImages = false, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (paths.Count == 0)
        {
            throw new CocoException("no results file given");
        }

        return ParallelResults.Load(paths, groundTruth, iouType, dropUnknownImages, maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount);
    }

    /// <summary>Detections held in memory (e.g. straight from a detector), checked like a file's records.</summary>
    /// <param name="detections">The detections in ranking-tie order (ties in score keep this order).</param>
    /// <param name="groundTruth">The ground truth every image id must belong to.</param>
    /// <param name="dropUnknownImages">Drop detections on images not in the ground truth instead of failing.</param>
    /// <exception cref="CocoException">A number is not finite or an image id is unknown.</exception>
    public static CocoResults FromDetections(IEnumerable<CocoDetection> detections, CocoGroundTruth groundTruth, bool dropUnknownImages = false)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(groundTruth);
        var builder = new ResultsBuilder(CocoIouType.Bbox);
        Span<double> box = stackalloc double[4];
        int index = 0;
        foreach (var d in detections)
        {
            box[0] = d.X;
            box[1] = d.Y;
            box[2] = d.Width;
            box[3] = d.Height;
            foreach (double v in box)
            {
                if (!double.IsFinite(v))
                {
                    throw new CocoException($"detection {index}: bbox: expected 4 finite numbers, found [{d.X}, {d.Y}, {d.Width}, {d.Height}]");
                }
            }

            if (!double.IsFinite(d.Score))
            {
                throw new CocoException($"detection {index}: score: expected a finite number, found {d.Score}");
            }

            if (!groundTruth.ContainsImage(d.ImageId))
            {
                if (!dropUnknownImages)
                {
                    throw new CocoException($"detection {index}: image id {d.ImageId} is not in the ground truth {groundTruth.Source}");
                }

                builder.Dropped++;
            }
            else
            {
                builder.Add(d.ImageId, d.CategoryId, box, d.Score);
            }

            index++;
        }

        return builder.Build([]);
    }
}
