using System.Globalization;

namespace RfcnPerf.Core.Machine;

/// <summary>The OS load averages at one moment (Linux /proc/loadavg): how busy the shared machine was.</summary>
public sealed record LoadSnapshot(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    /// <summary>Reads /proc/loadavg, or null where it does not exist.</summary>
    public static LoadSnapshot? Read()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var one)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var five)
            && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var fifteen)
            ? new LoadSnapshot(one, five, fifteen)
            : null;
    }

    /// <summary>Averages over 1, 5 and 15 minutes, e.g. <c>0.31 / 0.40 / 0.52</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OneMinute:F2} / {FiveMinutes:F2} / {FifteenMinutes:F2}");
}
