using System.Text.Json;
using System.Text.Json.Serialization;

namespace RfcnPerf.Serving.Load;

/// <summary>
/// The JSON of the load generator's files (<c>load --json</c>, recipe.json, open-loop-*.json): indented, property
/// names as declared, a latency that was never measured written as "NaN".
/// </summary>
internal static class LoadJson
{
    /// <summary>The serializer options of every load file.</summary>
    public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes <paramref name="value"/> (serialized as its runtime type) to <paramref name="path"/>, creating the folder.</summary>
    public static void Write(string path, object value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(value, value.GetType(), Options));
    }
}
