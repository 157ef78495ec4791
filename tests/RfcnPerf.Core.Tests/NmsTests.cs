using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Core.Tests;

public sealed class NmsTests
{
    // IoU is float32 arithmetic on small integers: intersections and unions are exact, only the final
    // division rounds (relative error 6e-8).
    private const float IouTolerance = 1e-6f;

    private static Candidate C(float x1, float y1, float x2, float y2, float score, int cls = 0) => new(x1, y1, x2, y2, score, cls);

    public static TheoryData<float[], float[], float> IouCases => new()
    {
        // Half-overlapping 10x10 squares: 50 / (100 + 100 - 50).
        { [0, 0, 10, 10], [5, 0, 15, 10], 1f / 3 },
        // Diagonal overlap: 25 / 175.
        { [0, 0, 10, 10], [5, 5, 15, 15], 1f / 7 },
        // The lower half of the box: 50 / 100.
        { [0, 0, 10, 10], [0, 0, 10, 5], 0.5f },
        // Contained 6x6: 36 / 100.
        { [0, 0, 10, 10], [2, 2, 8, 8], 0.36f },
        { [0, 0, 10, 10], [0, 0, 10, 10], 1f },
        // Touching edges and disjoint boxes do not overlap.
        { [0, 0, 10, 10], [10, 0, 20, 10], 0f },
        { [0, 0, 10, 10], [30, 30, 40, 40], 0f },
        // Degenerate (zero-area) boxes.
        { [0, 0, 0, 0], [0, 0, 0, 0], 0f },
    };

    [Theory]
    [MemberData(nameof(IouCases))]
    public void Iou_matches_hand_computed_values(float[] a, float[] b, float expected)
    {
        var ca = C(a[0], a[1], a[2], a[3], 1);
        var cb = C(b[0], b[1], b[2], b[3], 1);

        Assert.Equal(expected, Nms.Iou(ca, cb), IouTolerance);
        Assert.Equal(expected, Nms.Iou(cb, ca), IouTolerance);
    }

    [Theory]
    // IoU of the pair is exactly 1/3: above a 0.3 threshold the weaker box goes, below 0.34 both stay.
    [InlineData(0.30f, 1)]
    [InlineData(0.34f, 2)]
    public void Same_class_overlap_is_suppressed_only_above_the_threshold(float threshold, int expectedKept)
    {
        Candidate[] boxes = [C(5, 0, 15, 10, 0.8f), C(0, 0, 10, 10, 0.9f)];

        var kept = new Nms(1).Run(boxes, threshold, 100, 1000);

        Assert.Equal(expectedKept, kept);
        Assert.Equal(0.9f, boxes[0].Score);
        Assert.Equal(0f, boxes[0].X1);
        if (expectedKept == 2)
        {
            Assert.Equal(0.8f, boxes[1].Score);
        }
    }

    [Theory]
    // IoU exactly 0.5 (representable): suppression needs IoU strictly greater than the threshold.
    [InlineData(0.5f, 2)]
    [InlineData(0.49f, 1)]
    public void Iou_equal_to_the_threshold_does_not_suppress(float threshold, int expectedKept)
    {
        Candidate[] boxes = [C(0, 0, 10, 10, 0.9f), C(0, 0, 10, 5, 0.8f)];

        Assert.Equal(expectedKept, new Nms(1).Run(boxes, threshold, 100, 1000));
    }

    [Fact]
    public void Different_classes_never_suppress_each_other()
    {
        Candidate[] boxes = [C(0, 0, 10, 10, 0.9f, 0), C(0, 0, 10, 10, 0.8f, 1), C(0, 0, 10, 10, 0.7f, 2), C(0, 0, 10, 10, 0.6f, 1)];

        var kept = new Nms(3).Run(boxes, 0.5f, 100, 1000);

        // The identical class-1 box with the lower score is the only one suppressed.
        Assert.Equal(3, kept);
        Assert.Equal([(0, 0.9f), (1, 0.8f), (2, 0.7f)], boxes[..3].Select(b => (b.ClassIndex, b.Score)));
    }

    [Fact]
    public void Suppressed_boxes_do_not_suppress_others()
    {
        // A suppresses B (IoU 1/3); B would suppress C (IoU 1/3) but is gone; A and C do not overlap.
        Candidate[] boxes = [C(0, 0, 10, 10, 0.9f), C(5, 0, 15, 10, 0.8f), C(10, 0, 20, 10, 0.7f)];

        var kept = new Nms(1).Run(boxes, 0.3f, 100, 1000);

        Assert.Equal(2, kept);
        Assert.Equal([0f, 10f], boxes[..2].Select(b => b.X1));
    }

    [Fact]
    public void Survivors_come_out_in_descending_score_order()
    {
        Candidate[] boxes = [C(0, 0, 1, 1, 0.1f), C(10, 0, 11, 1, 0.5f), C(20, 0, 21, 1, 0.3f), C(30, 0, 31, 1, 0.9f), C(40, 0, 41, 1, 0.7f)];

        var kept = new Nms(1).Run(boxes, 0.5f, 100, 1000);

        Assert.Equal(5, kept);
        Assert.Equal([0.9f, 0.7f, 0.5f, 0.3f, 0.1f], boxes.Select(b => b.Score));
        Assert.Equal([30f, 40f, 10f, 20f, 0f], boxes.Select(b => b.X1));
    }

    [Fact]
    public void MaxKeep_caps_the_survivors_to_the_best_scores()
    {
        Candidate[] boxes = [C(0, 0, 1, 1, 0.1f), C(10, 0, 11, 1, 0.5f), C(20, 0, 21, 1, 0.3f), C(30, 0, 31, 1, 0.9f), C(40, 0, 41, 1, 0.7f)];

        var kept = new Nms(1).Run(boxes, 0.5f, 3, 1000);

        Assert.Equal(3, kept);
        Assert.Equal([0.9f, 0.7f, 0.5f], boxes[..3].Select(b => b.Score));
    }

    [Fact]
    public void MaxCandidates_drops_the_lowest_scores_before_suppression()
    {
        Candidate[] boxes = [C(0, 0, 1, 1, 0.1f), C(10, 0, 11, 1, 0.5f), C(20, 0, 21, 1, 0.3f), C(30, 0, 31, 1, 0.9f)];

        var kept = new Nms(1).Run(boxes, 0.5f, 100, 2);

        Assert.Equal(2, kept);
        Assert.Equal([0.9f, 0.5f], boxes[..2].Select(b => b.Score));
    }

    [Fact]
    public void Equal_scores_keep_input_order()
    {
        Candidate[] boxes = [C(30, 0, 31, 1, 0.5f), C(10, 0, 11, 1, 0.5f), C(40, 0, 41, 1, 0.7f), C(0, 0, 1, 1, 0.5f), C(20, 0, 21, 1, 0.5f)];

        var kept = new Nms(1).Run(boxes, 0.5f, 100, 1000);

        Assert.Equal(5, kept);
        Assert.Equal([40f, 30f, 10f, 0f, 20f], boxes.Select(b => b.X1));
    }

    [Theory]
    // Two overlapping boxes (IoU 0.9) with the same score: the one listed first survives.
    [InlineData(false, 10f)]
    [InlineData(true, 9f)]
    public void Equal_scores_the_earlier_box_suppresses_the_later(bool reversed, float survivorY2)
    {
        Candidate[] boxes = [C(0, 0, 10, 10, 0.5f), C(0, 0, 10, 9, 0.5f)];
        if (reversed)
        {
            Array.Reverse(boxes);
        }

        var kept = new Nms(1).Run(boxes, 0.5f, 100, 1000);

        Assert.Equal(1, kept);
        Assert.Equal(survivorY2, boxes[0].Y2);
    }

    [Fact]
    public void An_instance_can_be_reused_without_leaking_state()
    {
        var nms = new Nms(2);
        Candidate[] first = [C(0, 0, 10, 10, 0.9f, 1)];
        Assert.Equal(1, nms.Run(first, 0.5f, 100, 1000));

        // The box kept in the previous run must not suppress an identical box now.
        Candidate[] second = [C(0, 0, 10, 10, 0.4f, 1), C(0, 0, 10, 10, 0.3f, 0)];

        Assert.Equal(2, nms.Run(second, 0.5f, 100, 1000));
    }
}
