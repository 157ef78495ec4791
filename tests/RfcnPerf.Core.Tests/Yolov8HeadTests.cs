using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Core.Tests.Support;
using static RfcnPerf.Core.Tests.Support.DetectionAssert;

namespace RfcnPerf.Core.Tests;

public sealed class Yolov8HeadTests
{
    // Class index 0 -> id 5, 1 -> id 17: a decoder that passes indices (or index + 1) through shows.
    private static readonly CategoryMap TwoClasses = CategoryMap.FromCategories([(17, "b"), (5, "a")]);

    // 500x375 letterboxed into 640x640: scale 1.28, padY 80 (see LetterboxGeometryTests).
    private static readonly LetterboxGeometry Geo = LetterboxGeometry.Compute(500, 375, 640, 640, ResizeMode.LetterboxCentered);

    private static readonly PostprocessOptions Options = new(ScoreThreshold: 0.25f, IouThreshold: 0.7f, MaxDetections: 300);

    /// <summary>Rows cx, cy, w, h, score0, score1 over 4 anchors (layout [1, 4+C, A]).</summary>
    private static float[] FourAnchors() =>
    [
        // cx: a0 centre, a1 bottom-right corner, a2 near a0, a3 top-left corner
        320, 630, 322, 10,
        // cy
        320, 555, 320, 90,
        // w
        128, 40, 128, 40,
        // h
        64, 20, 64, 40,
        // class 0 scores: a2 overlaps a0 (IoU 126/130) with a lower score and must be suppressed
        0.9f, 0.5f, 0.4f, 0.1f,
        // class 1 scores: a1 sits exactly at the threshold (not kept); a0 is multi-label
        0.6f, 0.25f, 0.1f, 0.3f,
    ];

    private static ModelOutputs Outputs(float[] perImage, int anchors, int batch = 1)
    {
        var data = new float[perImage.Length * batch];
        for (var b = 0; b < batch; b++)
        {
            perImage.CopyTo(data, b * perImage.Length);
        }

        return new ModelOutputs(["output0"], [data], [[batch, perImage.Length / anchors, anchors]]);
    }

    [Fact]
    public void Decode_maps_boxes_through_the_letterbox_clips_and_maps_categories()
    {
        var head = new Yolov8Head(640, 640, 2);
        var into = new List<Detection>();

        head.Decode(Outputs(FourAnchors(), 4), 0, Geo, Options, TwoClasses, into);

        // a0: input (256,288)-(384,352) -> source ((256-0)/1.28, (288-80)/1.28) = (200, 162.5), 100x50.
        // a1: input (610,545)-(650,565) -> source (476.5625, 363.28125)-(507.8, 378.9), clipped to 500x375.
        // a3: input (-10,70)-(30,110) -> source (-7.8, -7.8)-(23.4375, 23.4375), clipped at 0.
        Expected[] expected =
        [
            new(5, 0.9f, 200, 162.5f, 100, 50),
            new(17, 0.6f, 200, 162.5f, 100, 50),
            new(5, 0.5f, 476.5625f, 363.28125f, 23.4375f, 11.71875f),
            new(17, 0.3f, 0, 0, 23.4375f, 23.4375f),
        ];
        AssertDetections(expected, into);
    }

    [Theory]
    // Scores must be strictly greater than the threshold (Ultralytics' conf > thres).
    [InlineData(0.25f, 0)]
    [InlineData(0.2501f, 1)]
    [InlineData(0.9f, 1)]
    public void Score_threshold_is_strictly_greater(float score, int expectedCount)
    {
        var head = new Yolov8Head(640, 640, 2);
        float[] one = [320, 320, 64, 64, score, 0f];
        var into = new List<Detection>();

        head.Decode(Outputs(one, 1), 0, Geo, Options, TwoClasses, into);

        Assert.Equal(expectedCount, into.Count);
    }

    [Fact]
    public void Decode_reads_the_requested_image_of_a_batch()
    {
        var head = new Yolov8Head(640, 640, 2);
        float[] first = [320, 320, 64, 64, 0.9f, 0f];
        float[] second = [100, 200, 64, 64, 0f, 0.8f];
        var outputs = new ModelOutputs(["output0"], [[.. first, .. second]], [[2, 6, 1]]);
        var identity = LetterboxGeometry.Compute(640, 640, 640, 640, ResizeMode.LetterboxCentered);
        var into = new List<Detection>();

        head.Decode(outputs, 1, identity, Options, TwoClasses, into);

        AssertDetections([new(17, 0.8f, 68, 168, 64, 64)], into);
    }

    [Fact]
    public void Decode_appends_and_respects_max_detections()
    {
        var head = new Yolov8Head(640, 640, 2);
        var into = new List<Detection> { new(99, 1f, 0, 0, 1, 1) };

        head.Decode(Outputs(FourAnchors(), 4), 0, Geo, Options with { MaxDetections = 2 }, TwoClasses, into);

        Assert.Equal([99, 5, 17], into.Select(d => d.CategoryId));
        Assert.Equal([1f, 0.9f, 0.6f], into.Select(d => d.Score));
    }

    [Fact]
    public void A_class_index_beyond_the_category_map_is_a_user_error()
    {
        var head = new Yolov8Head(640, 640, 3);
        float[] one = [320, 320, 64, 64, 0f, 0f, 0.9f];

        var ex = Assert.Throws<RfcnPerfException>(() => head.Decode(Outputs(one, 1), 0, Geo, Options, TwoClasses, []));

        Assert.Contains("class index 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 categories", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_reads_input_size_and_class_count()
    {
        var head = Yolov8Head.TryCreate(Sig.Yolov8);

        Assert.NotNull(head);
        Assert.Equal(80, head.ClassCount);
        Assert.Equal((640, 640, ResizeMode.LetterboxCentered, false, (byte)114), (head.Preprocess.InputWidth, head.Preprocess.InputHeight, head.Preprocess.Resize, head.Preprocess.Bgr, head.Preprocess.PadValue));
        Assert.Equal(PostprocessOptions.Yolov8Eval, head.DefaultPostprocess);
    }
}
