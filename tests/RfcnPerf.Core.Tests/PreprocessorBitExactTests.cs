using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

/// <summary>
/// The fast pre-processing (vector conversion, border-only padding, the integer replica of Skia's bilinear resize)
/// against <see cref="ReferencePreprocessor"/>, bit for bit: no tolerance, because the tensor, and with it every
/// detection and the AP, must not change. The destination starts as NaN so an element the fast path forgets to
/// write shows too.
/// </summary>
public sealed class PreprocessorBitExactTests
{
    private static readonly float[] NanodetMean = [103.53f, 116.28f, 123.675f];
    private static readonly float[] NanodetStd = [57.375f, 57.12f, 58.395f];

    /// <summary>The input specs of the families plus odd sizes (vector tails, padding on both axes).</summary>
    public static TheoryData<string> Specs => [.. SpecsByName.Keys];

    private static readonly Dictionary<string, PreprocessSpec> SpecsByName = new()
    {
        ["yolov8 640"] = new Yolov8Head(640, 640, 80).Preprocess,
        ["nanodet 416 centred"] = Nanodet(416, 416, ResizeMode.LetterboxCentered),
        ["nanodet 416 top-left"] = Nanodet(416, 416, ResizeMode.LetterboxTopLeft),
        ["nanodet 320x256 stretch"] = Nanodet(320, 256, ResizeMode.Stretch),
        ["yolov8 333x197"] = new Yolov8Head(333, 197, 80).Preprocess,
        ["yolov8 1280x736 (upscale)"] = new Yolov8Head(1280, 736, 80).Preprocess,
        ["nanodet 97x61 top-left"] = Nanodet(97, 61, ResizeMode.LetterboxTopLeft),
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Matches_the_reference_on_the_bundled_coco_images(string specName)
    {
        var spec = SpecsByName[specName];
        var files = Directory.EnumerateFiles(Path.Combine(TestPaths.BundledSample, "val2017"), "*.jpg").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(68, files.Length);

        // One preprocessor for every image: its cached column taps and row buffers must follow the size changes.
        using var pre = new Preprocessor(spec);
        foreach (var file in files)
        {
            using var image = ImageDecoder.Decode(file);
            AssertSameBits(spec, pre, image, Path.GetFileName(file));
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Matches_the_reference_on_odd_sizes(string specName)
    {
        var spec = SpecsByName[specName];
        var random = new Random(13);
        using var pre = new Preprocessor(spec);
        foreach (var (width, height) in OddSizes)
        {
            using var image = RandomImage(random, width, height);
            AssertSameBits(spec, pre, image, image.Path);
        }
    }

    [Fact]
    public void Matches_the_reference_past_the_integer_resize_limit()
    {
        // A side past LowpBilinear.MaxSide is resized by Skia itself (its 16.16 coordinates overflow there).
        var spec = new Yolov8Head(64, 64, 80).Preprocess;
        using var pre = new Preprocessor(spec);
        using var image = RandomImage(new Random(5), LowpBilinear.MaxSide + 9, 3);
        Assert.False(LowpBilinear.Supports(image.Width, image.Height));

        AssertSameBits(spec, pre, image, image.Path);
    }

    [Fact]
    public void Taps_follow_skia_at_the_edges()
    {
        // 4 -> 8 pixels: centres (x + 0.5) / 2 = 0.25, 0.75, ..., 3.75. The first sample sits a quarter pixel left
        // of pixel 0's centre: taps -1 and 0 clamp to 0, weight 0.75 - 0.5 in Q15. The last sits a quarter right of
        // pixel 3's: taps 3 and 4 clamp to 3, weight 0.25 - 0.5.
        Assert.Equal((0, 0, 16384), LowpBilinear.Tap(0.25f, 4));
        Assert.Equal((3, 3, -16384), LowpBilinear.Tap(3.75f, 4));

        // A sample on a pixel centre: taps (x, x + 1), weight -0.5 in Q15, so the left pixel gets it all.
        Assert.Equal((2, 3, -32768), LowpBilinear.Tap(2.5f, 4));

        // Half-way between the centres of pixels 1 and 2: weight 0.
        Assert.Equal((1, 2, 0), LowpBilinear.Tap(2f, 4));
    }

    /// <summary>
    /// Sizes around the vector widths (8 and 16 lanes) and the degenerate ones: one pixel, one row, one column,
    /// strong upscaling (every output row reuses a source row) and strong downscaling (rows skipped).
    /// </summary>
    private static readonly (int Width, int Height)[] OddSizes =
    [
        (1, 1), (1, 9), (9, 1), (2, 2), (3, 5), (7, 7), (8, 8), (15, 17), (16, 16), (17, 15), (31, 33),
        (33, 1), (1, 600), (640, 1), (1000, 3), (3, 1000), (641, 479), (1023, 769), (97, 61), (640, 480),
    ];

    private static void AssertSameBits(PreprocessSpec spec, Preprocessor pre, DecodedImage image, string name)
    {
        var expected = new float[spec.ElementsPerImage];
        var actual = new float[spec.ElementsPerImage];
        var expectedGeo = ReferencePreprocessor.WriteNchw(spec, image, expected);
        actual.AsSpan().Fill(float.NaN);

        var geo = pre.WriteNchw(image, actual);

        Assert.Equal(expectedGeo, geo);
        var plane = spec.InputWidth * spec.InputHeight;
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{name} ({image.Width}x{image.Height}) into {spec.InputWidth}x{spec.InputHeight} {spec.Resize}: " +
                    $"channel {i / plane}, x {i % plane % spec.InputWidth}, y {i % plane / spec.InputWidth} is {actual[i]:R}, the reference {expected[i]:R}");
            }
        }
    }

    private static DecodedImage RandomImage(Random random, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        random.NextBytes(rgb);
        return DecodedImage.FromRgb(rgb, width, height, $"random {width}x{height}");
    }

    private static PreprocessSpec Nanodet(int width, int height, ResizeMode resize) =>
        new(width, height, TensorLayout.NchwFloat, resize, Bgr: true, NanodetMean, NanodetStd, PadValue: 0);
}
