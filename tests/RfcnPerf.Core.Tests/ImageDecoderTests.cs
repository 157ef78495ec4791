using RfcnPerf.Core.Imaging;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class ImageDecoderTests : IDisposable
{
    /// <summary>A subset image with its annotated size (000000252219.jpg is 640x428).</summary>
    private const string RealImage = "000000252219.jpg";

    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    private static string RealImagePath => Path.Combine(TestPaths.CocoImages, RealImage);

    [Fact]
    public void A_real_jpeg_decodes_at_its_annotated_size()
    {
        using var image = ImageDecoder.Decode(RealImagePath);

        Assert.Equal((640, 428), (image.Width, image.Height));
        Assert.Equal(RealImagePath, image.Path);
    }

    [SkippableFact]
    public void The_system_libjpeg_turbo_gives_skias_pixels_on_every_bundled_image()
    {
        Skip.IfNot(TurboJpegAvailable(), "libturbojpeg.so.0 not found (Debian/Ubuntu package libturbojpeg0): JPEGs are decoded by Skia alone here, nothing to compare");
        var files = Directory.EnumerateFiles(Path.Combine(TestPaths.BundledSample, "val2017"), "*.jpg").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(68, files.Length);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            using var fast = ImageDecoder.Decode(file);
            using var skia = ImageDecoder.DecodeWithSkia(bytes, file);

            Assert.Equal((skia.Width, skia.Height), (fast.Width, fast.Height));
            Assert.True(skia.Bitmap.GetPixelSpan().SequenceEqual(fast.Bitmap.GetPixelSpan()), $"{Path.GetFileName(file)}: libjpeg-turbo's pixels differ from Skia's");
        }
    }

    [SkippableFact]
    public void A_grayscale_jpeg_decodes_to_the_same_pixels_either_way()
    {
        Skip.IfNot(TurboJpegAvailable(), "libturbojpeg.so.0 not found (Debian/Ubuntu package libturbojpeg0)");
        using var gray = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(37, 23, SkiaSharp.SKColorType.Gray8));
        var rng = new Random(7);
        rng.NextBytes(gray.GetPixelSpan());
        using var encoded = gray.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
        var bytes = encoded.ToArray();

        using var fast = ImageDecoder.Decode(bytes, "gray.jpg");
        using var skia = ImageDecoder.DecodeWithSkia(bytes, "gray.jpg");

        Assert.True(skia.Bitmap.GetPixelSpan().SequenceEqual(fast.Bitmap.GetPixelSpan()));
    }

    /// <summary>CI installs libturbojpeg0 for its mirror pass, where nothing may skip.</summary>
    private static bool TurboJpegAvailable() => TurboJpeg.Available;

    [Theory]
    // Cut inside the entropy-coded data, and inside the headers.
    [InlineData(0.5)]
    [InlineData(0.01)]
    public void A_truncated_jpeg_is_an_error_naming_the_file(double keep)
    {
        var bytes = File.ReadAllBytes(RealImagePath);
        var path = temp.File("truncated.jpg");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);

        var ex = Assert.Throws<RfcnPerfException>(() => ImageDecoder.Decode(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notes.jpg", "this is not an image\n")]
    [InlineData("empty.jpg", "")]
    [InlineData("fake.png", "\u0089PNG but nothing after the signature")]
    public void A_file_that_is_not_an_image_is_an_error_naming_the_file(string name, string content)
    {
        var path = temp.File(name);
        File.WriteAllText(path, content);

        var ex = Assert.Throws<RfcnPerfException>(() => ImageDecoder.Decode(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_image_is_an_error_naming_the_file()
    {
        var path = temp.File("missing.jpg");

        var ex = Assert.Throws<RfcnPerfException>(() => ImageDecoder.Decode(path));

        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
