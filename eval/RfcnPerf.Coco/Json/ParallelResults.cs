namespace RfcnPerf.Coco.Json;

/// <summary>
/// Reads results files with several threads (COCO.loadRes' reading): each file in parts (<see cref="JsonFileParts"/>),
/// each part by its own <see cref="ResultsReader"/> into its own <see cref="ResultsBuilder"/>, joined in file order.
/// What it returns is always what one reader reading everything in order returns, errors included: a part counts
/// only when the part before it stopped exactly at its cut (so it began at a true record) and when it read every
/// result under loadRes' branch (fixed by the first result); otherwise, and whenever a part after the first fails
/// (its message would not name the true record index or line), the files are read again by one reader.
/// </summary>
internal static class ParallelResults
{
    /// <summary>The files' detections, in order, exactly as <see cref="Sequential"/> reads them.</summary>
    /// <param name="paths">Results files, concatenated in this order.</param>
    /// <param name="groundTruth">The ground truth every image id must belong to.</param>
    /// <param name="iouType">What to read besides boxes.</param>
    /// <param name="dropUnknownImages">Drop results on images not in the ground truth instead of failing.</param>
    /// <param name="threads">Threads that read parts of a file at once.</param>
    /// <param name="minPartBytes">Smallest part worth a thread (tests cut small files).</param>
    public static CocoResults Load(IReadOnlyList<string> paths, CocoGroundTruth groundTruth, CocoIouType iouType, bool dropUnknownImages, int threads, long minPartBytes = JsonFileParts.MinPartBytes)
    {
        var parts = new List<ResultsBuilder>();
        foreach (string path in paths)
        {
            if (!TryReadFile(path, groundTruth, iouType, dropUnknownImages, threads, minPartBytes, parts))
            {
                return Sequential(paths, groundTruth, iouType, dropUnknownImages);
            }
        }

        // Every part must have read its results under the branch the very first result fixed.
        var branch = parts.Select(p => p.Branch).FirstOrDefault(b => b is not null);
        if (parts.Any(p => p.Branch is not null && p.Branch != branch))
        {
            return Sequential(paths, groundTruth, iouType, dropUnknownImages);
        }

        return ResultsBuilder.Build(parts, [.. paths]);
    }

    /// <summary>One reader, every file in order: the reference behaviour, and the one whose errors are reported.</summary>
    public static CocoResults Sequential(IReadOnlyList<string> paths, CocoGroundTruth groundTruth, CocoIouType iouType, bool dropUnknownImages)
    {
        var builder = new ResultsBuilder(iouType, paths.Sum(p => new FileInfo(p) is { Exists: true } f ? f.Length : 0));
        foreach (string path in paths)
        {
            using var stream = CocoFiles.OpenRead(path);
            ResultsReader.Read(stream, path, groundTruth, dropUnknownImages, builder);
        }

        return builder.Build([.. paths]);
    }

    /// <summary>Reads one file into parts appended to <paramref name="into"/>; false when it must be read sequentially.</summary>
    private static bool TryReadFile(string path, CocoGroundTruth groundTruth, CocoIouType iouType, bool dropUnknownImages, int threads, long minPartBytes, List<ResultsBuilder> into)
    {
        long length = new FileInfo(path).Length;
        var parts = JsonFileParts.Read(
            path,
            minPartBytes,
            threads,
            "["u8,

            // Each part's detections are joined into new arrays; the masks of every part are appended to the first
            // part's columns (SegmentationBuilder.Build), so those are sized for the whole file.
            (bytes, first) => new ResultsBuilder(iouType, bytes, first ? length : bytes),
            (stream, builder, stopAt) => ResultsReader.Read(stream, path, groundTruth, dropUnknownImages, builder, stopAt));
        if (parts is null)
        {
            return false;
        }

        into.AddRange(parts);
        return true;
    }
}
