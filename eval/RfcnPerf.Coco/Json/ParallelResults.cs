using System.Runtime.ExceptionServices;

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
        List<long> cuts;
        using (var file = CocoFiles.OpenRead(path))
        {
            int parts = JsonFileParts.PartsFor(file.Length, threads, minPartBytes);
            cuts = parts > 1 ? JsonFileParts.Cuts(file, parts) : [];
            if (cuts.Count == 0)
            {
                var builder = new ResultsBuilder(iouType, file.Length);
                ResultsReader.Read(file, path, groundTruth, dropUnknownImages, builder);
                into.Add(builder);
                return true;
            }
        }

        int count = cuts.Count + 1;
        var builders = new ResultsBuilder[count];
        var stopped = new bool[count];
        var failures = new Exception?[count];
        long length = new FileInfo(path).Length;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            long from = i == 0 ? 0 : cuts[i - 1];
            // The first part's columns take every part's detections in the end: sized for the whole file.
            builders[i] = new ResultsBuilder(iouType, i == 0 ? length : (i < cuts.Count ? cuts[i] : length) - from);

            // A later part's stream starts with '[' before the byte at its cut, so stream offsets are one larger.
            long stopAt = i < cuts.Count ? cuts[i] - from + (i == 0 ? 0 : 1) : long.MaxValue;
            try
            {
                using var stream = i == 0 ? CocoFiles.OpenRead(path) : JsonFileParts.Part(path, from, "["u8);
                stopped[i] = ResultsReader.Read(stream, path, groundTruth, dropUnknownImages, builders[i], stopAt);
            }
            catch (Exception ex) when (ex is CocoException or IOException)
            {
                failures[i] = ex;
            }
        });

        if (failures[0] is { } first)
        {
            // The first part reads from the true beginning: its error is the sequential reading's error.
            ExceptionDispatchInfo.Capture(first).Throw();
        }

        for (int i = 0; i < count; i++)
        {
            into.Add(builders[i]);
            if (!stopped[i])
            {
                // This part read on to the end of the file: the parts after it are not needed.
                return true;
            }

            if (i + 1 == count || failures[i + 1] is not null)
            {
                return false;
            }
        }

        return false;
    }
}
