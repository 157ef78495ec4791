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
        var parts = JsonFileParts.Read(
            path,
            minPartBytes,
            threads,
            AnnotationsPrefix,
            (bytes, _) => new GroundTruthReader.Sections(iouType, bytes),
            (stream, sections, stopAt) => GroundTruthReader.ReadSections(stream, path, sections, stopAt));
        if (parts is null)
        {
            using var again = CocoFiles.OpenRead(path);
            return GroundTruthReader.Read(again, path, iouType);
        }

        foreach (var later in parts.Skip(1))
        {
            parts[0].Append(later);
        }

        return parts[0].Finish(path);
    }
}
