using RfcnPerf.Reporting;
using ScottPlot;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>Label placement of the AP-vs-latency chart (<see cref="PointLabels"/>): labels of close points do not overlap.</summary>
public sealed class PointLabelsTests
{
    private static readonly (float, float, float, float) Area = (60, 40, 1080, 570);

    private static PointLabels.Box[] Boxes((float X, float Y)[] anchors, (float W, float H)[] sizes)
    {
        var spots = PointLabels.Place(anchors, sizes, 9, Area);
        return [.. spots.Select((s, i) => s.BoxAt(anchors[i].X, anchors[i].Y, sizes[i].W, sizes[i].H))];
    }

    [Fact]
    public void A_lone_point_keeps_its_label_right_above()
    {
        var spot = Assert.Single(PointLabels.Place([(400, 300)], [(120, 30)], 9, Area));

        Assert.Equal(Alignment.LowerLeft, spot.Alignment);
        Assert.True(spot.Dx > 0 && spot.Dy < 0);
    }

    [Fact]
    public void Labels_of_close_points_overlap_neither_each_other_nor_the_points()
    {
        // yolov8n vs yolov8n-int8 and the NanoDet pair as they came out: a few pixels apart, labels 130 x 30.
        (float, float)[] anchors = [(650, 168), (598, 176), (232, 272), (207, 281), (712, 274)];
        (float, float)[] sizes = [(110, 30), (110, 30), (112, 30), (150, 30), (125, 30)];
        var boxes = Boxes(anchors, sizes);

        for (var i = 0; i < boxes.Length; i++)
        {
            for (var j = i + 1; j < boxes.Length; j++)
            {
                Assert.True(boxes[i].Overlap(boxes[j]) == 0, $"labels {i} and {j} overlap: {boxes[i]} {boxes[j]}");
            }

            foreach (var (x, y) in anchors)
            {
                Assert.True(boxes[i].Overlap(new PointLabels.Box(x - 9, y - 9, x + 9, y + 9)) == 0, $"label {i} covers the point at {x}, {y}");
            }
        }
    }

    [Fact]
    public void A_point_at_the_right_edge_gets_its_label_inside_the_data_area()
    {
        var box = Boxes([(1070, 300)], [(120, 30)])[0];

        Assert.True(box.Left >= 60 && box.Right <= 1080, box.ToString());
    }
}
