using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Core.Tests.Support;
using static RfcnPerf.Core.Tests.Support.DetectionAssert;

namespace RfcnPerf.Core.Tests;

public sealed class TfOdApiHeadTests
{
    private const int Slots = 4;

    // 640x480 image fed at its own size.
    private static readonly LetterboxGeometry Geo = LetterboxGeometry.Compute(640, 480, 0, 0, ResizeMode.None);

    /// <summary>Four detection slots, of which the graph reports <paramref name="numDetections"/> as valid.</summary>
    private static ModelOutputs Outputs(bool suffix, float numDetections, int batch = 1, float[]? secondImageBoxes = null)
    {
        var s = suffix ? ":0" : string.Empty;
        float[] boxes =
        [
            // (ymin, xmin, ymax, xmax) normalised
            0.25f, 0.5f, 0.75f, 1.0f,
            -0.1f, -0.2f, 1.2f, 0.5f,
            0.0f, 0.0f, 0.5f, 0.5f,
            0.1f, 0.1f, 0.2f, 0.2f,
        ];
        float[] scores = [0.95f, 0.6f, 0.4f, 0.3f];
        float[] classes = [18f, 90f, 1f, 44f];
        float[] num = [numDetections];
        if (batch == 2)
        {
            boxes = [.. boxes, .. secondImageBoxes!];
            scores = [.. scores, 0.5f, 0f, 0f, 0f];
            classes = [.. classes, 3f, 0f, 0f, 0f];
            num = [.. num, 1f];
        }

        return new ModelOutputs(
            ["detection_boxes" + s, "detection_scores" + s, "detection_classes" + s, "num_detections" + s],
            [boxes, scores, classes, num],
            [[batch, Slots, 4], [batch, Slots], [batch, Slots], [batch]]);
    }

    private static TfOdApiHead Head(bool suffix) =>
        TfOdApiHead.TryCreate(Sig.TfOdApi(suffix)) ?? throw new InvalidOperationException("tf-od-api signature not recognised");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_turns_normalised_yx_boxes_into_coco_pixels_and_passes_ids_through(bool suffix)
    {
        var into = new List<Detection>();

        // Coco80 maps index 18 to id 20: the decoder must not map the graph's ids again.
        Head(suffix).Decode(Outputs(suffix, numDetections: 3), 0, Geo, PostprocessOptions.TfOdApi, CategoryMap.Coco80, into);

        Expected[] expected =
        [
            // (0.25, 0.5, 0.75, 1.0) x (480, 640): x 320, y 120, w 320, h 240.
            new(18, 0.95f, 320, 120, 320, 240),
            // Out-of-range coordinates are clamped to [0, 1] first: (0, 0, 1, 0.5) -> 0, 0, 320, 480.
            new(90, 0.6f, 0, 0, 320, 480),
            new(1, 0.4f, 0, 0, 320, 240),
        ];
        AssertDetections(expected, into);
    }

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(1f, 1)]
    [InlineData(2.0f, 2)]
    [InlineData(4f, 4)]
    // More reported than slots: only the slots exist.
    [InlineData(100f, 4)]
    public void Num_detections_limits_the_slots_read(float numDetections, int expected)
    {
        var into = new List<Detection>();

        Head(true).Decode(Outputs(true, numDetections), 0, Geo, PostprocessOptions.TfOdApi, CategoryMap.Coco80, into);

        Assert.Equal(expected, into.Count);
    }

    [Fact]
    public void Score_threshold_and_max_detections_apply()
    {
        var into = new List<Detection>();
        var options = new PostprocessOptions(ScoreThreshold: 0.4f, IouThreshold: 1f, MaxDetections: 300);

        Head(true).Decode(Outputs(true, 4), 0, Geo, options, CategoryMap.Coco80, into);

        // 0.4 is not strictly greater than 0.4.
        Assert.Equal([0.95f, 0.6f], into.Select(d => d.Score));

        into.Clear();
        Head(true).Decode(Outputs(true, 4), 0, Geo, PostprocessOptions.TfOdApi with { MaxDetections = 1 }, CategoryMap.Coco80, into);
        Assert.Equal([18], into.Select(d => d.CategoryId));
    }

    [Fact]
    public void Decode_reads_the_requested_image_of_a_batch()
    {
        var into = new List<Detection>();
        float[] second = [0.5f, 0.5f, 1f, 1f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        Head(false).Decode(Outputs(false, 4, batch: 2, secondImageBoxes: second), 1, Geo, PostprocessOptions.TfOdApi, CategoryMap.Coco80, into);

        AssertDetections([new(3, 0.5f, 320, 240, 320, 240)], into);
    }

    [Fact]
    public void TryCreate_wants_uint8_nhwc_and_the_four_outputs()
    {
        var head = TfOdApiHead.TryCreate(Sig.TfOdApi(true));
        Assert.NotNull(head);
        Assert.Equal((TensorLayout.NhwcByte, ResizeMode.None, false), (head.Preprocess.Layout, head.Preprocess.Resize, head.Preprocess.Bgr));

        var full = Sig.TfOdApi(true);
        Assert.Null(TfOdApiHead.TryCreate(full with { Outputs = full.Outputs.Take(3).ToArray() }));
        Assert.Null(TfOdApiHead.TryCreate(full with { Inputs = [Sig.T("image_tensor:0", "float", 1, -1, -1, 3)] }));
        Assert.Null(TfOdApiHead.TryCreate(full with { Inputs = [Sig.T("image_tensor:0", "uint8", 1, 3, -1, -1)] }));
    }
}
