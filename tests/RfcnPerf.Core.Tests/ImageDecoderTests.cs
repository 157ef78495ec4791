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
