using System.Text.Json;
using System.Text.Json.Serialization;
using RfcnPerf.Shared;

namespace RfcnPerf.Reporting;

/// <summary>
/// The JSON form of every report file (run.json, report.json, the bench's summary.json): indented, camelCase,
/// enums as strings, doubles in shortest round-trip form (System.Text.Json's default) so a reader recovers the exact
/// values, NaN (e.g. a latency with no runs) as "NaN"; written atomically.
/// </summary>
public static class JsonReportFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically (temp file, then rename).</summary>
    public static void Write<T>(string path, T value) => AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, value, Options));

    /// <summary>Reads a value written by <see cref="Write{T}"/>.</summary>
    /// <exception cref="JsonException">Not JSON of that shape.</exception>
    public static T? Read<T>(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<T>(json, Options);
}
