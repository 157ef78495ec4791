using ScottPlot;
using ScottPlot.Plottables;

namespace RfcnPerf.Reporting;

/// <summary>
/// Places the text labels of a scatter chart's points so that they overlap neither each other nor the points: each
/// label tries spots around its point (right above first, as a label is usually drawn, then right below, left
/// above, left below, above, below, then the same further away) and takes the one that covers the least of the
/// labels placed before it, the markers and the space outside the data area. Deterministic: same chart, same spots.
/// </summary>
public static class PointLabels
{
    private const float Gap = 10;
    private const float Lift = 8;

    /// <summary>
    /// Moves each label of <paramref name="labels"/> (a <see cref="Text"/> drawn at its point) to its spot on a plot
    /// whose axes are final, rendered at <paramref name="width"/> x <paramref name="height"/>.
    /// </summary>
    /// <param name="plot">The finished plot (axis limits set).</param>
    /// <param name="width">Width the plot is saved at, in pixels.</param>
    /// <param name="height">Height the plot is saved at, in pixels.</param>
    /// <param name="labels">Each label with the point it names.</param>
    /// <param name="markerRadius">Radius of the point markers in pixels (labels keep off every marker).</param>
    public static void Arrange(Plot plot, int width, int height, IReadOnlyList<(Text Label, Coordinates Point)> labels, float markerRadius)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(labels);
        plot.RenderInMemory(width, height); // lays the figure out, so coordinates map to pixels
        var data = plot.LastRender.DataRect;
        using var paint = Paint.NewDisposablePaint();
        var anchors = labels.Select(l => plot.GetPixel(l.Point)).ToArray();
        var sizes = labels.Select(l => l.Label.LabelStyle.Measure(paint).Size).ToArray();
        var spots = Place(
            anchors.Select(a => (a.X, a.Y)).ToArray(),
            sizes.Select(s => (s.Width, s.Height)).ToArray(),
            markerRadius,
            (data.Left, data.Top, data.Right, data.Bottom));
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i].Label;
            label.LabelAlignment = spots[i].Alignment;
            label.OffsetX = spots[i].Dx;
            label.OffsetY = spots[i].Dy;
        }
    }

    /// <summary>
    /// The spot of each label (text alignment at the anchor and pixel offset, y down) for labels of the given sizes
    /// at the given anchor pixels, placed in order.
    /// </summary>
    public static IReadOnlyList<LabelSpot> Place(
        IReadOnlyList<(float X, float Y)> anchors,
        IReadOnlyList<(float Width, float Height)> sizes,
        float markerRadius,
        (float Left, float Top, float Right, float Bottom) area)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(sizes);
        var markers = anchors.Select(a => new Box(a.X - markerRadius, a.Y - markerRadius, a.X + markerRadius, a.Y + markerRadius)).ToArray();
        var bounds = new Box(area.Left, area.Top, area.Right, area.Bottom);
        var placed = new List<Box>();
        var spots = new List<LabelSpot>();
        for (var i = 0; i < anchors.Count; i++)
        {
            var (x, y) = anchors[i];
            var (w, h) = sizes[i];
            LabelSpot? best = null;
            var bestCost = double.MaxValue;
            Box bestBox = default;
            foreach (var spot in Candidates(h))
            {
                var box = spot.BoxAt(x, y, w, h);
                var cost = placed.Sum(box.Overlap) + markers.Sum(box.Overlap) + ((w * h) - box.Overlap(bounds));
                if (cost < bestCost - 0.5)
                {
                    (best, bestCost, bestBox) = (spot, cost, box);
                }
            }

            placed.Add(bestBox);
            spots.Add(best!);
        }

        return spots;
    }

    private static IEnumerable<LabelSpot> Candidates(float height)
    {
        for (var step = 0; step < 4; step++)
        {
            var lift = Lift + (step * height * 0.75f);
            yield return new LabelSpot(Alignment.LowerLeft, Gap, -lift);
            yield return new LabelSpot(Alignment.UpperLeft, Gap, lift);
            yield return new LabelSpot(Alignment.LowerRight, -Gap, -lift);
            yield return new LabelSpot(Alignment.UpperRight, -Gap, lift);
            yield return new LabelSpot(Alignment.LowerCenter, 0, -lift - Gap);
            yield return new LabelSpot(Alignment.UpperCenter, 0, lift + Gap);
        }
    }

    /// <summary>A label's rectangle in pixels (y down).</summary>
    /// <param name="Left">Left edge.</param>
    /// <param name="Top">Top edge.</param>
    /// <param name="Right">Right edge.</param>
    /// <param name="Bottom">Bottom edge.</param>
    public readonly record struct Box(float Left, float Top, float Right, float Bottom)
    {
        /// <summary>Area shared with <paramref name="other"/>, in square pixels.</summary>
        public double Overlap(Box other) =>
            Math.Max(0, Math.Min(Right, other.Right) - Math.Max(Left, other.Left)) * (double)Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top));
    }

    /// <summary>Where a label goes: which corner or edge of the text sits at the anchor, and its pixel offset (y down).</summary>
    /// <param name="Alignment">The text's corner/edge placed at the anchor plus the offset.</param>
    /// <param name="Dx">Horizontal offset in pixels.</param>
    /// <param name="Dy">Vertical offset in pixels (positive: down).</param>
    public sealed record LabelSpot(Alignment Alignment, float Dx, float Dy)
    {
        /// <summary>The rectangle of a <paramref name="w"/> x <paramref name="h"/> label at anchor (<paramref name="x"/>, <paramref name="y"/>).</summary>
        public Box BoxAt(float x, float y, float w, float h)
        {
            var ax = x + Dx;
            var ay = y + Dy;
            var left = Alignment switch
            {
                Alignment.LowerLeft or Alignment.UpperLeft or Alignment.MiddleLeft => ax,
                Alignment.LowerRight or Alignment.UpperRight or Alignment.MiddleRight => ax - w,
                _ => ax - (w / 2),
            };
            var top = Alignment switch
            {
                Alignment.UpperLeft or Alignment.UpperRight or Alignment.UpperCenter => ay,
                Alignment.LowerLeft or Alignment.LowerRight or Alignment.LowerCenter => ay - h,
                _ => ay - (h / 2),
            };
            return new Box(left, top, left + w, top + h);
        }
    }
}
