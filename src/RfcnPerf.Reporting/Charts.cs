using ScottPlot;

namespace RfcnPerf.Reporting;

/// <summary>Chart setup and saving shared by every report: one font, one palette, one title/label size, PNG under <c>charts/</c>.</summary>
public static class Charts
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>The folder charts go into, relative to a report folder.</summary>
    public const string Folder = "charts";

    /// <summary>A plot with the report font, a title and axis labels.</summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        plot.Title(title, 18);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
        return plot;
    }

    /// <summary>The colour of series <paramref name="index"/> (Category10).</summary>
    public static Color Color(int index) => Palette.GetColor(index);

    /// <summary>Creates <c>charts/</c> under <paramref name="reportDir"/> and returns its path.</summary>
    public static string Directory(string reportDir)
    {
        ChartFonts.Register();
        var dir = Path.Combine(reportDir, Folder);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Labels <paramref name="axis"/> as a logarithmic axis for data plotted as log10(value): ticks at every decade
    /// from <paramref name="min"/> to <paramref name="max"/> (and at 2 and 5 within them when the range spans three
    /// decades or fewer), written as plain numbers. Returns the decades' limits in log10 units.
    /// </summary>
    public static (double Low, double High) LogTicks(IAxis axis, double min, double max)
    {
        var low = Math.Floor(Math.Log10(min));
        var high = Math.Max(low + 1, Math.Ceiling(Math.Log10(max)));
        double[] steps = high - low <= 3 ? [1, 2, 5] : [1];
        var ticks = new List<Tick>();
        for (var decade = low; decade <= high; decade++)
        {
            foreach (var step in steps.Where(s => decade < high || s == 1))
            {
                var value = step * Math.Pow(10, decade);
                ticks.Add(new Tick(Math.Log10(value), value.ToString("G", System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        return (low, high);
    }

    /// <summary>Legend entries a bottom or top legend gets within the height a caller asks for.</summary>
    public const int LegendRowsIncluded = 5;

    private const int LegendRowPixels = 20;

    // Room left and right of a bottom or top legend that sets the image width (its frame and shadow).
    private const int LegendSideMargin = 40;

    /// <summary>Saves the plot as PNG into <paramref name="chartDir"/> and names it for the report.</summary>
    /// <param name="plot">The finished plot.</param>
    /// <param name="chartDir">The folder from <see cref="Directory"/>.</param>
    /// <param name="fileName">File name, e.g. <c>ap-per-model.png</c>.</param>
    /// <param name="title">Caption of the chart in the report.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="legendAt">
    /// Where the legend goes, outside the data area so it never hides a line; null keeps the plot's own legend setting.
    /// Below or above the plot the entries are listed one per row and the image grows by a row per entry past
    /// <see cref="LegendRowsIncluded"/>.
    /// </param>
    public static ChartFile Save(Plot plot, string chartDir, string fileName, string title, int width, int height, Edge? legendAt = null)
    {
        plot.Font.Set(ChartFonts.Family);
        if (legendAt is { } edge)
        {
            plot.ShowLegend(edge);
            if (edge is Edge.Bottom or Edge.Top)
            {
                // ScottPlot lays a bottom legend out in rows across the width but sizes its panel for a wider image
                // than it draws into: past five long entries the rest were cut off. One entry per row is measured right.
                plot.Legend.Orientation = Orientation.Vertical;
                height += LegendRowPixels * Math.Max(0, plot.Legend.GetItems().Length - LegendRowsIncluded);

                // An entry longer than the image is wide would lose its end: the image grows to the legend's width.
                using var legend = plot.Legend.GetImage();
                width = Math.Max(width, legend.Width + LegendSideMargin);
            }
        }

        plot.SavePng(Path.Combine(chartDir, fileName), width, height);
        return new ChartFile(title, Folder + "/" + fileName);
    }
}
