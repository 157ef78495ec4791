using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class PreprocessorTests : IDisposable
{
    // The preprocessor computes p * (1/std) + (-mean/std) in float32 instead of (p - mean) / std: values are
    // below 5 in magnitude, so the difference is a few float ulps (~1e-6). One 8-bit level is 1/255 ~ 4e-3 for
    // yolov8 and 1/57 ~ 2e-2 for NanoDet, so a swapped channel or wrong pad is orders of magnitude larger.
    private const float ValueTolerance = 1e-5f;

    // Nanodet's BGR mean/std in tensor channel order (docs/MODELS.md §2).
    private static readonly float[] NanodetMeanBgr = [103.53f, 116.28f, 123.675f];
    private static readonly float[] NanodetStdBgr = [57.375f, 57.12f, 58.395f];

    private readonly TempDir temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Every pixel distinct per channel, so a swapped channel, flipped axis or shifted row shows.</summary>
    private static (byte R, byte G, byte B) Pattern(int x, int y) =>
        ((byte)((10 * x) + 5), (byte)((20 * y) + 7), (byte)(250 - (10 * x) - y));

    [Fact]
    public void Yolov8_spec_is_rgb_over_255_with_114_padding_centred()
    {
        // 16x8 into 16x16: r = 1, no resampling, so every image pixel must come through exactly; rows 0-3
        // and 12-15 are padding.
        var spec = new Yolov8Head(16, 16, 2).Preprocess;
        using var image = ImageDecoder.Decode(TestImages.WritePng(temp.File("pattern.png"), 16, 8, Pattern));
        using var pre = new Preprocessor(spec);
        var tensor = new float[spec.ElementsPerImage];

        var geo = pre.WriteNchw(image, tensor);

        Assert.Equal((16, 8, 0, 4), (geo.ResizedWidth, geo.ResizedHeight, geo.PadX, geo.PadY));
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                var inImage = y is >= 4 and < 12;
                var (r, g, b) = inImage ? Pattern(x, y - 4) : ((byte)114, (byte)114, (byte)114);
                Assert.Equal(r / 255f, At(tensor, 16, 16, 0, x, y), ValueTolerance);
                Assert.Equal(g / 255f, At(tensor, 16, 16, 1, x, y), ValueTolerance);
                Assert.Equal(b / 255f, At(tensor, 16, 16, 2, x, y), ValueTolerance);
            }
        }
    }

    [Fact]
    public void Yolov8_spec_upscales_keeping_left_and_right_apart()
    {
        // 8x4 (left half (200,100,50), right half (20,40,240)) into 32x32: r = 4 -> 32x16 at rows 8-23.
        // Bilinear blending only touches the columns around the seam (x = 16), so columns 0-11 and 20-31
        // keep the pure colours.
        var spec = new Yolov8Head(32, 32, 2).Preprocess;
        var path = TestImages.WritePng(temp.File("halves.png"), 8, 4, (x, _) => x < 4 ? ((byte)200, (byte)100, (byte)50) : ((byte)20, (byte)40, (byte)240));
        using var image = ImageDecoder.Decode(path);
        using var pre = new Preprocessor(spec);
        var tensor = new float[spec.ElementsPerImage];

        var geo = pre.WriteNchw(image, tensor);

        Assert.Equal((32, 16, 0, 8), (geo.ResizedWidth, geo.ResizedHeight, geo.PadX, geo.PadY));
        foreach (var y in new[] { 8, 15, 23 })
        {
            foreach (var x in new[] { 0, 5, 11 })
            {
                Assert.Equal(new[] { 200 / 255f, 100 / 255f, 50 / 255f }, Pixel(tensor, 32, 32, x, y), FloatComparer);
            }

            foreach (var x in new[] { 20, 26, 31 })
            {
                Assert.Equal(new[] { 20 / 255f, 40 / 255f, 240 / 255f }, Pixel(tensor, 32, 32, x, y), FloatComparer);
            }
        }

        foreach (var y in new[] { 0, 7, 24, 31 })
        {
            Assert.Equal(new[] { 114 / 255f, 114 / 255f, 114 / 255f }, Pixel(tensor, 32, 32, 13, y), FloatComparer);
        }
    }

    [Theory]
    [InlineData(ResizeMode.LetterboxCentered, 4)]
    [InlineData(ResizeMode.LetterboxTopLeft, 0)]
    public void Nanodet_spec_is_bgr_minus_mean_over_std_with_padding_normalised(ResizeMode resize, int imageTop)
    {
        var head = NanodetHead.TryCreate(Sig.Nanodet(16, 3, 8, "cls8", "cls16", "reg8", "reg16"), resize, 0f);
        Assert.NotNull(head);
        var spec = head.Preprocess;
        using var image = ImageDecoder.Decode(TestImages.WritePng(temp.File("pattern.png"), 16, 8, Pattern));
        using var pre = new Preprocessor(spec);
        var tensor = new float[spec.ElementsPerImage];

        var geo = pre.WriteNchw(image, tensor);

        Assert.Equal(imageTop, geo.PadY);
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                var inImage = y >= imageTop && y < imageTop + 8;
                var (r, g, b) = inImage ? Pattern(x, y - imageTop) : (spec.PadValue, spec.PadValue, spec.PadValue);
                Assert.Equal((b - NanodetMeanBgr[0]) / NanodetStdBgr[0], At(tensor, 16, 16, 0, x, y), ValueTolerance);
                Assert.Equal((g - NanodetMeanBgr[1]) / NanodetStdBgr[1], At(tensor, 16, 16, 1, x, y), ValueTolerance);
                Assert.Equal((r - NanodetMeanBgr[2]) / NanodetStdBgr[2], At(tensor, 16, 16, 2, x, y), ValueTolerance);
            }
        }
    }

    [Fact]
    public void Nanodet_stretch_fills_the_whole_input_without_padding()
    {
        // A solid image stretched 16x8 -> 16x16 stays solid: no padding rows may appear.
        var head = NanodetHead.TryCreate(Sig.Nanodet(16, 3, 8, "cls8", "cls16", "reg8", "reg16"), ResizeMode.Stretch);
        Assert.NotNull(head);
        using var image = ImageDecoder.Decode(TestImages.WritePng(temp.File("solid.png"), 16, 8, (_, _) => (30, 60, 90)));
        using var pre = new Preprocessor(head.Preprocess);
        var tensor = new float[head.Preprocess.ElementsPerImage];

        var geo = pre.WriteNchw(image, tensor);

        Assert.Equal((16, 16, 0, 0), (geo.ResizedWidth, geo.ResizedHeight, geo.PadX, geo.PadY));
        var expected = new[] { (90 - NanodetMeanBgr[0]) / NanodetStdBgr[0], (60 - NanodetMeanBgr[1]) / NanodetStdBgr[1], (30 - NanodetMeanBgr[2]) / NanodetStdBgr[2] };
        foreach (var y in new[] { 0, 7, 8, 15 })
        {
            foreach (var x in new[] { 0, 9, 15 })
            {
                Assert.Equal(expected, Pixel(tensor, 16, 16, x, y), FloatComparer);
            }
        }
    }

    [Fact]
    public void WriteNhwcBytes_copies_rgb_interleaved_at_the_image_size()
    {
        using var image = ImageDecoder.Decode(TestImages.WritePng(temp.File("pattern.png"), 16, 8, Pattern));
        var bytes = new byte[16 * 8 * 3];

        var geo = Preprocessor.WriteNhwcBytes(image, bytes);

        Assert.Equal((16, 8, 16, 8, 1.0), (geo.InputWidth, geo.InputHeight, geo.ResizedWidth, geo.ResizedHeight, geo.ScaleX));
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 16; x++)
            {
                var (r, g, b) = Pattern(x, y);
                var i = ((y * 16) + x) * 3;
                Assert.Equal((r, g, b), (bytes[i], bytes[i + 1], bytes[i + 2]));
            }
        }
    }

    [Fact]
    public void WriteNchw_rejects_a_destination_too_small()
    {
        var spec = new Yolov8Head(16, 16, 2).Preprocess;
        using var image = ImageDecoder.Decode(TestImages.WritePng(temp.File("pattern.png"), 16, 8, Pattern));
        using var pre = new Preprocessor(spec);

        Assert.Throws<ArgumentException>(() => pre.WriteNchw(image, new float[spec.ElementsPerImage - 1]));
    }

    private static readonly IEqualityComparer<float> FloatComparer = new ToleranceComparer(ValueTolerance);

    private static float At(float[] tensor, int width, int height, int channel, int x, int y) =>
        tensor[(channel * width * height) + (y * width) + x];

    private static float[] Pixel(float[] tensor, int width, int height, int x, int y) =>
        [At(tensor, width, height, 0, x, y), At(tensor, width, height, 1, x, y), At(tensor, width, height, 2, x, y)];

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
