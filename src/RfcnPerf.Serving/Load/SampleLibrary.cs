using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The query sample library (LoadGen's QSL): <c>--performance-sample-count</c> images drawn with a logged seed from
/// the available ones and read into memory before timing, as encoded bytes (decoding is the system under test's
/// work, as it is for a served b64 request). Queries name samples by their index in <see cref="Paths"/>; each sample
/// keeps its image's COCO id, so an accuracy run can write its detections as a COCO results file.
/// </summary>
internal sealed class SampleLibrary
{
    private SampleLibrary(IReadOnlyList<ImageRef> images, byte[][] bytes, int available, int seed)
    {
        Paths = [.. images.Select(i => i.Path)];
        ImageIds = [.. images.Select(i => i.ImageId)];
        Bytes = bytes;
        Available = available;
        Seed = seed;
    }

    /// <summary>The loaded images' files, in sample order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The loaded images' COCO image ids, in sample order (the annotation file's ids in accuracy mode, else the file names' numbers).</summary>
    public IReadOnlyList<long> ImageIds { get; }

    /// <summary>Each loaded image's encoded bytes.</summary>
    public IReadOnlyList<byte[]> Bytes { get; }

    public int Count => Bytes.Count;

    /// <summary>Images there were to draw from.</summary>
    public int Available { get; }

    public int Seed { get; }

    /// <summary>
    /// Draws <paramref name="count"/> of <paramref name="images"/> (all when null) without replacement with
    /// <paramref name="seed"/> and reads them; more than there are is a user error.
    /// </summary>
    public static SampleLibrary Load(IReadOnlyList<ImageRef> images, int? count, int seed)
    {
        if (images.Count == 0)
        {
            throw new Core.RfcnPerfException("no images for the sample library");
        }

        var take = count ?? images.Count;
        if (take < 1 || take > images.Count)
        {
            throw new Core.RfcnPerfException($"--performance-sample-count must be between 1 and the {images.Count} images available, got {take}");
        }

        var order = images.OrderBy(i => i.Path, StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(order);
        var chosen = order.Take(take).ToArray();
        return new SampleLibrary(chosen, [.. chosen.Select(i => File.ReadAllBytes(i.Path))], images.Count, seed);
    }
}
