using System.Diagnostics;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Core.Pipeline;

/// <summary>
/// Up to one batch of decoded images in image-list order, with the images skipped on the way to it: unreadable
/// ones (with skip-bad-images) and those a checkpoint already holds. The last batch of a list may hold only
/// skipped images. The consumer owns the decoded images (dispose the batch).
/// </summary>
internal sealed class DecodedBatch : IDisposable
{
    private DecodedBatch(List<DecodedImage> images, ImageRef[] refs, List<(string Path, string Reason)> bad, int skipped, double decodeMs)
    {
        Images = images;
        Refs = refs;
        Bad = bad;
        Skipped = skipped;
        DecodeMs = decodeMs;
    }

    /// <summary>Decoded images (0 to batch size).</summary>
    public List<DecodedImage> Images { get; }

    /// <summary>The list entries of <see cref="Images"/>.</summary>
    public ImageRef[] Refs { get; }

    /// <summary>Unreadable images met since the previous batch, with the reason.</summary>
    public List<(string Path, string Reason)> Bad { get; }

    /// <summary>Images since the previous batch that are not in this one (bad or already in the checkpoint).</summary>
    public int Skipped { get; }

    /// <summary>Milliseconds spent reading and decoding <see cref="Images"/>.</summary>
    public double DecodeMs { get; }

    /// <summary>
    /// Reads <paramref name="images"/> in batches of <paramref name="batchSize"/>. A corrupt or missing image throws
    /// <see cref="RfcnPerfException"/> naming the file unless <paramref name="skipBadImages"/>; images the
    /// <paramref name="checkpoint"/> holds are skipped without reading them.
    /// </summary>
    public static IEnumerable<DecodedBatch> Read(IReadOnlyList<ImageRef> images, int batchSize, bool skipBadImages, DetectionCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        var decoded = new List<DecodedImage>(batchSize);
        var refs = new List<ImageRef>(batchSize);
        var bad = new List<(string, string)>();
        var skipped = 0;
        double decodeMs = 0;
        try
        {
            foreach (var image in images)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (checkpoint is not null && checkpoint.DonePaths.Contains(image.Path))
                {
                    skipped++;
                    continue;
                }

                var start = Stopwatch.GetTimestamp();
                try
                {
                    decoded.Add(ImageDecoder.Decode(image.Path));
                }
                catch (RfcnPerfException ex) when (skipBadImages)
                {
                    bad.Add((image.Path, ex.Message));
                    skipped++;
                    continue;
                }

                decodeMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                refs.Add(image);
                if (decoded.Count == batchSize)
                {
                    var batch = new DecodedBatch(decoded, [.. refs], bad, skipped, decodeMs);
                    decoded = new List<DecodedImage>(batchSize);
                    refs.Clear();
                    bad = [];
                    skipped = 0;
                    decodeMs = 0;
                    yield return batch;
                }
            }

            if (decoded.Count > 0 || bad.Count > 0 || skipped > 0)
            {
                var last = new DecodedBatch(decoded, [.. refs], bad, skipped, decodeMs);
                decoded = [];
                yield return last;
            }
        }
        finally
        {
            // Images decoded for a batch that was never handed out (an error or an abandoned enumeration).
            foreach (var d in decoded)
            {
                d.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in Images)
        {
            d.Dispose();
        }

        Images.Clear();
    }
}
