using System.Globalization;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The server's memory as its Prometheus endpoint reports it (prometheus-net's process collector, which our
/// server registers and any prometheus-net server has): resident set (<c>process_working_set_bytes</c>, the
/// RSS on Linux) and the managed heap (<c>dotnet_total_memory_bytes</c>).
/// </summary>
internal sealed record ServerMemory(long ResidentBytes, long? ManagedHeapBytes)
{
    public const string ResidentSeries = "process_working_set_bytes";
    public const string ManagedHeapSeries = "dotnet_total_memory_bytes";

    /// <summary>Reads <paramref name="metricsUrl"/>; null when it cannot be reached or has no resident-memory series.</summary>
    public static async Task<ServerMemory?> ReadAsync(Uri metricsUrl, CancellationToken cancel = default)
    {
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
            return Parse(await http.GetStringAsync(metricsUrl, cancel).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The two series from Prometheus text exposition format; null without the resident one.</summary>
    public static ServerMemory? Parse(string text)
    {
        long? resident = null, heap = null;
        foreach (var line in text.Split('\n'))
        {
            if (Value(line, ResidentSeries) is { } r)
            {
                resident = r;
            }
            else if (Value(line, ManagedHeapSeries) is { } h)
            {
                heap = h;
            }
        }

        return resident is { } bytes ? new ServerMemory(bytes, heap) : null;
    }

    /// <summary>"RSS 312 MiB" style text of a byte count.</summary>
    public static string MiB(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F0} MiB");

    private static long? Value(string line, string series) =>
        line.StartsWith(series, StringComparison.Ordinal) && line.Length > series.Length && line[series.Length] == ' '
        && double.TryParse(line.AsSpan(series.Length + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? (long)value
            : null;
}
