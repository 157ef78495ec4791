using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Bench;

/// <summary>
/// Fills a stream's input tensor with real COCO images through the core's decoder and pre-processor, so
/// inference-only benchmarks run on the data a user would feed. Without a COCO folder the input stays zero
/// (the model's cost does not depend on pixel values; only end-to-end benchmarks need real images).
/// </summary>
internal static class BenchInputs
{
    /// <summary>Writes image b (cycling through the first images) into every batch slot of <paramref name="stream"/>.</summary>
    public static void Fill(DetectorStream stream, int offset = 0)
    {
        if (!BenchAssets.HasImages)
        {
            return;
        }

        var images = BenchAssets.Images(stream.BatchSize + offset);
        if (stream.Head.Preprocess.Layout != TensorLayout.NchwFloat)
        {
            using var single = ImageDecoder.Decode(images[offset % images.Length]);
            Preprocessor.WriteNhwcBytes(single, stream.PrepareImageInput(single.Width, single.Height));
            return;
        }

        using var pre = new Preprocessor(stream.Head.Preprocess);
        for (var b = 0; b < stream.BatchSize; b++)
        {
            using var image = ImageDecoder.Decode(images[(b + offset) % images.Length]);
            pre.WriteNchw(image, stream.InputSlot(b));
        }
    }
}
