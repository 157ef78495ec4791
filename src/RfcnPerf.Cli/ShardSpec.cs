using System.Globalization;
using RfcnPerf.Core;

namespace RfcnPerf.Cli;

/// <summary>Parses <c>--shard i/n</c>.</summary>
internal static class ShardSpec
{
    public static (int Index, int Count) Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i < n)
        {
            return (i, n);
        }

        throw new RfcnPerfException($"--shard expects i/n with 0 <= i < n (e.g. 0/4), got '{text}'");
    }
}
