using RfcnPerf.Coco;

namespace RfcnPerf.Core.Pipeline;

/// <summary>What the detection side needs from a COCO annotation file: its images and its categories.</summary>
public sealed record AnnotationIndex(IReadOnlyList<(long Id, string FileName)> Images, IReadOnlyList<(int Id, string Name)> Categories)
{
    /// <summary>
    /// Reads the images and categories of a COCO annotation file with the evaluator's streaming loader (so the
    /// file is validated once, the same way scoring will read it). Throws <see cref="CocoException"/> naming the
    /// file, record and field for malformed input, <see cref="RfcnPerfException"/> for an image without a file name.
    /// </summary>
    public static AnnotationIndex Load(string path) => From(CocoGroundTruth.Load(path));

    /// <summary>The index of an already loaded ground truth.</summary>
    public static AnnotationIndex From(CocoGroundTruth gt)
    {
        var images = gt.Images.Select(i => (i.Id, i.FileName
            ?? throw new RfcnPerfException($"{gt.Source}: image {i.Id} has no file_name, so its file cannot be found"))).ToArray();
        var categories = gt.Categories.Select(c => (checked((int)c.Id), c.Name)).ToArray();
        return new AnnotationIndex(images, categories);
    }
}
