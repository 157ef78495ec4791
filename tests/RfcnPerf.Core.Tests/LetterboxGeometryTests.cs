using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Core.Tests;

public sealed class LetterboxGeometryTests
{
    // source -> input -> source is one multiply-add and its inverse in double precision: the error is a few
    // ulps of coordinates below 2000 px, far below anything that could hide a wrong pad or scale.
    private const double RoundTripTolerance = 1e-9;

    // The resized size is the scaled size rounded to whole pixels, so the far corner of the source lands
    // within half a pixel of PadX + ResizedWidth.
    private const double RoundingTolerance = 0.5 + 1e-9;

    private static readonly (int W, int H)[] Sources =
        [(640, 480), (500, 375), (427, 640), (1000, 333), (333, 500), (17, 3), (640, 640), (3, 1000), (10, 5)];

    private static readonly (int W, int H)[] Inputs = [(640, 640), (416, 416), (320, 256)];

    public static TheoryData<int, int, int, int, ResizeMode> Placements
    {
        get
        {
            var data = new TheoryData<int, int, int, int, ResizeMode>();
            foreach (var (sw, sh) in Sources)
            {
                foreach (var (iw, ih) in Inputs)
                {
                    foreach (var mode in Enum.GetValues<ResizeMode>())
                    {
                        data.Add(sw, sh, iw, ih, mode);
                    }
                }
            }

            return data;
        }
    }

    /// <summary>Hand-computed placements: source, input, mode, [resized w, resized h, padX, padY], scales (Ultralytics LetterBox: r = min ratio, size rounded half-to-even, pads round(d -/+ 0.1)).</summary>
    public static TheoryData<int, int, int, int, ResizeMode, int[], double, double> Golden => new()
    {
        // 640x480 into 640x640: r = 1, 160 rows of padding split 80/80.
        { 640, 480, 640, 640, ResizeMode.LetterboxCentered, [640, 480, 0, 80], 1.0, 1.0 },
        // 500x375: r = min(1.28, 1.7067) = 1.28 -> 640x480, pads 80/80.
        { 500, 375, 640, 640, ResizeMode.LetterboxCentered, [640, 480, 0, 80], 1.28, 1.28 },
        // Portrait 427x640: r = 1, 213 columns of padding: left round(106.5 - 0.1) = 106, right 107.
        { 427, 640, 640, 640, ResizeMode.LetterboxCentered, [427, 640, 106, 0], 1.0, 1.0 },
        // 1000x333: r = 0.64 -> height round(213.12) = 213, top round(213.5 - 0.1) = 213.
        { 1000, 333, 640, 640, ResizeMode.LetterboxCentered, [640, 213, 0, 213], 0.64, 0.64 },
        // 640x427 into 416: r = 0.65 -> height round(277.55) = 278, top round(69 - 0.1) = 69.
        { 640, 427, 416, 416, ResizeMode.LetterboxCentered, [416, 278, 0, 69], 0.65, 0.65 },
        // 333x500 into 416: r = 0.832 -> width round(277.056) = 277, left round(69.5 - 0.1) = 69.
        { 333, 500, 416, 416, ResizeMode.LetterboxCentered, [277, 416, 69, 0], 0.832, 0.832 },
        // 10x5 into 5x5: r = 0.5, height 2.5 rounds half-to-even (Python round) to 2; top round(1.5 - 0.1) = 1.
        { 10, 5, 5, 5, ResizeMode.LetterboxCentered, [5, 2, 0, 1], 0.5, 0.5 },
        // Top-left: same size, no offset.
        { 640, 480, 640, 640, ResizeMode.LetterboxTopLeft, [640, 480, 0, 0], 1.0, 1.0 },
        { 333, 500, 416, 416, ResizeMode.LetterboxTopLeft, [277, 416, 0, 0], 0.832, 0.832 },
        // Stretch: each axis on its own.
        { 640, 480, 416, 416, ResizeMode.Stretch, [416, 416, 0, 0], 0.65, 416.0 / 480 },
        // None: the input is the image.
        { 640, 480, 416, 416, ResizeMode.None, [640, 480, 0, 0], 1.0, 1.0 },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Compute_matches_hand_computed_placement(
        int sw, int sh, int iw, int ih, ResizeMode mode, int[] resizedAndPad, double scaleX, double scaleY)
    {
        var geo = LetterboxGeometry.Compute(sw, sh, iw, ih, mode);

        Assert.Equal(resizedAndPad, new[] { geo.ResizedWidth, geo.ResizedHeight, geo.PadX, geo.PadY });
        Assert.Equal(scaleX, geo.ScaleX, RoundTripTolerance);
        Assert.Equal(scaleY, geo.ScaleY, RoundTripTolerance);
        Assert.Equal((sw, sh), (geo.SourceWidth, geo.SourceHeight));
        var expectedInput = mode == ResizeMode.None ? (sw, sh) : (iw, ih);
        Assert.Equal(expectedInput, (geo.InputWidth, geo.InputHeight));
    }

    [Theory]
    [InlineData(320, 80, 320, 0)]
    [InlineData(320, 560, 320, 480)]
    [InlineData(0, 320, 0, 240)]
    [InlineData(640, 0, 640, -80)]
    public void Ultralytics_640x480_maps_input_points_back_like_scale_boxes(double ix, double iy, double sx, double sy)
    {
        var geo = LetterboxGeometry.Compute(640, 480, 640, 640, ResizeMode.LetterboxCentered);

        Assert.Equal(sx, geo.ToSourceX(ix), RoundTripTolerance);
        Assert.Equal(sy, geo.ToSourceY(iy), RoundTripTolerance);
    }

    [Fact]
    public void Scaled_500x375_maps_input_points_back_through_pad_then_scale()
    {
        var geo = LetterboxGeometry.Compute(500, 375, 640, 640, ResizeMode.LetterboxCentered);

        // (input - pad) / 1.28: y 80 -> 0, y 560 -> 375, x 640 -> 500, y 336 -> 200.
        Assert.Equal(0, geo.ToSourceY(80), RoundTripTolerance);
        Assert.Equal(375, geo.ToSourceY(560), RoundTripTolerance);
        Assert.Equal(500, geo.ToSourceX(640), RoundTripTolerance);
        Assert.Equal(200, geo.ToSourceY(336), RoundTripTolerance);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Corners_round_trip_and_land_on_the_resized_area(int sw, int sh, int iw, int ih, ResizeMode mode)
    {
        var geo = LetterboxGeometry.Compute(sw, sh, iw, ih, mode);

        foreach (var (x, y) in new (double, double)[] { (0, 0), (sw, 0), (0, sh), (sw, sh) })
        {
            Assert.Equal(x, geo.ToSourceX(geo.ToInputX(x)), RoundTripTolerance);
            Assert.Equal(y, geo.ToSourceY(geo.ToInputY(y)), RoundTripTolerance);
        }

        Assert.Equal(geo.PadX, geo.ToInputX(0), RoundTripTolerance);
        Assert.Equal(geo.PadY, geo.ToInputY(0), RoundTripTolerance);
        Assert.Equal(geo.PadX + geo.ResizedWidth, geo.ToInputX(sw), RoundingTolerance);
        Assert.Equal(geo.PadY + geo.ResizedHeight, geo.ToInputY(sh), RoundingTolerance);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Random_points_round_trip(int sw, int sh, int iw, int ih, ResizeMode mode)
    {
        var geo = LetterboxGeometry.Compute(sw, sh, iw, ih, mode);
        var random = new Random(20240611);
        for (var i = 0; i < 200; i++)
        {
            var x = random.NextDouble() * sw;
            var y = random.NextDouble() * sh;
            Assert.Equal(x, geo.ToSourceX(geo.ToInputX(x)), RoundTripTolerance);
            Assert.Equal(y, geo.ToSourceY(geo.ToInputY(y)), RoundTripTolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Placement_invariants_hold_for_each_mode(int sw, int sh, int iw, int ih, ResizeMode mode)
    {
        var geo = LetterboxGeometry.Compute(sw, sh, iw, ih, mode);

        Assert.True(geo.PadX >= 0 && geo.PadY >= 0, $"negative padding {geo}");
        Assert.True(geo.PadX + geo.ResizedWidth <= geo.InputWidth && geo.PadY + geo.ResizedHeight <= geo.InputHeight, $"image leaves the input {geo}");
        switch (mode)
        {
            case ResizeMode.LetterboxCentered:
                // One side fills the input; the other is padded evenly, the odd pixel going right/bottom.
                Assert.True(geo.ResizedWidth == iw || geo.ResizedHeight == ih, $"neither side fills the input {geo}");
                Assert.InRange(iw - geo.ResizedWidth - (2 * geo.PadX), 0, 1);
                Assert.InRange(ih - geo.ResizedHeight - (2 * geo.PadY), 0, 1);
                Assert.Equal(geo.ScaleX, geo.ScaleY);
                break;
            case ResizeMode.LetterboxTopLeft:
                Assert.Equal((0, 0), (geo.PadX, geo.PadY));
                Assert.True(geo.ResizedWidth == iw || geo.ResizedHeight == ih, $"neither side fills the input {geo}");
                Assert.Equal(geo.ScaleX, geo.ScaleY);
                break;
            case ResizeMode.Stretch:
                Assert.Equal((iw, ih, 0, 0), (geo.ResizedWidth, geo.ResizedHeight, geo.PadX, geo.PadY));
                break;
            case ResizeMode.None:
                Assert.Equal((sw, sh, sw, sh), (geo.InputWidth, geo.InputHeight, geo.ResizedWidth, geo.ResizedHeight));
                Assert.Equal((1.0, 1.0), (geo.ScaleX, geo.ScaleY));
                break;
        }
    }
}
