using System.Runtime.ExceptionServices;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Reads a ground-truth file with several threads (pycocotools: <c>COCO(gt)</c>): the annotations array, most of a
/// COCO file, is cut into parts (<see cref="JsonFileParts"/>); the first part is read from the file's beginning and
/// stops at the first cut, each later part is read behind a prefix that reopens the annotations array, and the last
/// one reads on to the end of the file (the sections after the annotations). A part counts only when the part before
/// it stopped exactly at its cut, inside the annotations array; otherwise, and whenever a part after the first fails
/// (its message would not name the true record), one reader reads the file again. The whole-file checks (missing
/// sections, polygon and mask sizes, keypoint counts) run once on the joined parts, so the ground truth and every
/// message are the sequential reading's.
/// </summary>
internal static class ParallelGroundTruth
{
    private static readonly byte[] AnnotationsPrefix = "{\"annotations\":["u8.ToArray();

    /// <param name="path">The ground-truth file.</param>
    /// <param name="iouType">What to read besides boxes.</param>
    /// <param name="threads">Threads that read parts of the file at once.</param>
    /// <param name="minPartBytes">Smallest part worth a thread (tests cut small files).</param>
    public static CocoGroundTruth Load(string path, CocoIouType iouType, int threads, long minPartBytes = JsonFileParts.MinPartBytes)
    {
        List<long> cuts;
        using (var file = CocoFiles.OpenRead(path))
        {
            int parts = JsonFileParts.PartsFor(file.Length, threads, minPartBytes);
            cuts = parts > 1 ? JsonFileParts.Cuts(file, parts) : [];
            if (cuts.Count == 0)
            {
                return GroundTruthReader.Read(file, path, iouType);
            }
        }

        int count = cuts.Count + 1;
        var sections = new GroundTruthReader.Sections[count];
        var stopped = new bool[count];
        var failures = new Exception?[count];
        long length = new FileInfo(path).Length;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            long from = i == 0 ? 0 : cuts[i - 1];
            sections[i] = new GroundTruthReader.Sections(iouType, (i < cuts.Count ? cuts[i] : length) - from);
            long prefix = i == 0 ? 0 : AnnotationsPrefix.Length;
            long stopAt = i < cuts.Count ? cuts[i] - from + prefix : long.MaxValue;
            try
            {
                using var stream = i == 0 ? CocoFiles.OpenRead(path) : JsonFileParts.Part(path, from, AnnotationsPrefix);
                stopped[i] = GroundTruthReader.ReadSections(stream, path, sections[i], stopAt);
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
            if (i > 0)
            {
                sections[0].Append(sections[i]);
            }

            if (!stopped[i])
            {
                // This part read on to the end of the file: the parts after it are not needed.
                return sections[0].Finish(path);
            }

            if (i + 1 == count || failures[i + 1] is not null)
            {
                break;
            }
        }

        using var again = CocoFiles.OpenRead(path);
        return GroundTruthReader.Read(again, path, iouType);
    }
}
