using RfcnPerf.Coco;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Saves a detection pass as a COCO results file. The format itself is the evaluator's
/// (<see cref="CocoResultsWriter"/>); this only maps the pipeline's types onto it.
/// </summary>
public static class DetectionResultsFile
{
    /// <summary>Writes <paramref name="images"/>' detections to <paramref name="path"/> (created or replaced atomically).</summary>
    public static void Write(string path, IEnumerable<ImageDetections> images) =>
        CocoResultsWriter.WriteFile(path, results => Add(results, images));

    /// <summary>Writes the results list to a stream.</summary>
    public static void Write(Stream stream, IEnumerable<ImageDetections> images)
    {
        using var results = new CocoResultsWriter(stream);
        Add(results, images);
    }

    private static void Add(CocoResultsWriter results, IEnumerable<ImageDetections> images)
    {
        foreach (var image in images)
        {
            foreach (var d in image.Detections)
            {
                results.Add(image.Image.ImageId, d.CategoryId, d.X, d.Y, d.Width, d.Height, d.Score);
            }
        }
    }
}
