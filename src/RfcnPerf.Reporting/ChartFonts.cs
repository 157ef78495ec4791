namespace RfcnPerf.Reporting;

/// <summary>
/// Makes chart text render without fontconfig: SkiaSharp's "NoDependencies" native build cannot look fonts up by
/// name, so a TrueType sans font is registered from a known path (DejaVu Sans on Linux, Arial on Windows,
/// Helvetica on macOS). Used through <see cref="Charts"/>.
/// </summary>
public static class ChartFonts
{
    private static readonly (string Family, string Regular, string Bold)[] Candidates =
    [
        ("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ("DejaVu Sans", "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
        ("DejaVu Sans", "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
        ("Liberation Sans", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
        ("Arial", @"C:\Windows\Fonts\arial.ttf", @"C:\Windows\Fonts\arialbd.ttf"),
        ("Helvetica", "/System/Library/Fonts/Helvetica.ttc", "/System/Library/Fonts/Helvetica.ttc"),
    ];

    private static readonly Lazy<string> Registered = new(RegisterFirst);

    /// <summary>The font family charts use (ScottPlot's default when no candidate file exists).</summary>
    public static string Family => Registered.Value;

    /// <summary>Registers the first available font file once.</summary>
    public static void Register() => _ = Registered.Value;

    /// <summary>The regular font file in use, or null (then SkiaSharp's default typeface).</summary>
    public static string? RegularFile { get; private set; }

    private static string RegisterFirst()
    {
        foreach (var (family, regular, bold) in Candidates)
        {
            if (File.Exists(regular))
            {
                ScottPlot.Fonts.AddFontFile(family, regular, bold: false, italic: false);
                if (File.Exists(bold))
                {
                    ScottPlot.Fonts.AddFontFile(family, bold, bold: true, italic: false);
                }

                ScottPlot.Fonts.Default = family;
                RegularFile = regular;
                return family;
            }
        }

        return ScottPlot.Fonts.Default;
    }
}
