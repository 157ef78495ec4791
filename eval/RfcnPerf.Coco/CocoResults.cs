using RfcnPerf.Coco.Json;

namespace RfcnPerf.Coco;

/// <summary>
/// Detections to evaluate, in COCO results form, checked against a ground truth (pycocotools:
/// <c>COCO.loadRes</c>, bbox branch). Several files are concatenated in the order given, so the shards of one
/// run score exactly as the whole. Result ids are their 1-based position in that order, as loadRes numbers
/// them; a detection's area is <c>w * h</c> of its box, whatever the file says.
/// </summary>
public sealed class CocoResults
{
    internal CocoResults(IReadOnlyList<string> sources, long[] imageId, long[] categoryId, double[] box, double[] score, int dropped)
    {
        Sources = sources;
        ImageId = imageId;
        CategoryId = categoryId;
        Box = box;
        Score = score;
        DroppedUnknownImageCount = dropped;
    }

    /// <summary>The files read, in order (empty for in-memory detections).</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Number of detections kept.</summary>
    public int Count => Score.Length;

    /// <summary>Detections dropped because their image id is not in the ground truth (only when asked to drop).</summary>
    public int DroppedUnknownImageCount { get; }

    internal long[] ImageId { get; }

    internal long[] CategoryId { get; }

    /// <summary>[x, y, w, h] of detection i at 4*i.</summary>
    internal double[] Box { get; }

    internal double[] Score { get; }

    /// <summary>Detection <paramref name="index"/> (0-based, in file order).</summary>
    public CocoDetection this[int index] => new(
        ImageId[index], CategoryId[index], Box[4 * index], Box[(4 * index) + 1], Box[(4 * index) + 2], Box[(4 * index) + 3], Score[index]);

    /// <summary>Reads one results file.</summary>
    /// <inheritdoc cref="Load(IReadOnlyList{string}, CocoGroundTruth, bool)"/>
    public static CocoResults Load(string path, CocoGroundTruth groundTruth, bool dropUnknownImages = false) =>
        Load([path], groundTruth, dropUnknownImages);

    /// <summary>Reads results files and concatenates them in the order given (streaming, file by file).</summary>
    /// <param name="paths">One or more COCO results files (JSON arrays; an empty array is allowed).</param>
    /// <param name="groundTruth">The ground truth every <c>image_id</c> must belong to.</param>
    /// <param name="dropUnknownImages">Drop results whose image is not in the ground truth (counted in
    /// <see cref="DroppedUnknownImageCount"/>) instead of failing.</param>
    /// <exception cref="CocoException">A file is missing or malformed, a result lacks <c>image_id</c>,
    /// <c>category_id</c>, <c>bbox</c> or <c>score</c>, a number is not finite, a bbox is not 4 numbers, or an
    /// image id is unknown; the message names the file, the record index and the field.</exception>
    public static CocoResults Load(IReadOnlyList<string> paths, CocoGroundTruth groundTruth, bool dropUnknownImages = false)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (paths.Count == 0)
        {
            throw new CocoException("no results file given");
        }

        var builder = new ResultsBuilder();
        foreach (string path in paths)
        {
            using var stream = CocoFiles.OpenRead(path);
            ResultsReader.Read(stream, path, groundTruth, dropUnknownImages, builder);
        }

        return builder.Build([.. paths]);
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
        var builder = new ResultsBuilder();
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
