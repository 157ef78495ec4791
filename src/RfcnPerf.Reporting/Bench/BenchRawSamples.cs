using System.Globalization;
using System.Text.Json;

namespace RfcnPerf.Reporting.Bench;

/// <summary>
/// A run's raw samples, read from BenchmarkDotNet's full JSON exports: for a case, its <c>Workload</c> /
/// <c>Actual</c> measurements (warm-up, overhead and the aggregated <c>Result</c> rows excluded), each divided by its
/// operation count, in milliseconds per operation. Files are parsed once per run.
/// </summary>
internal sealed class BenchRawSamples(string runDir)
{
    private readonly Dictionary<string, Dictionary<string, double[]>> files = new(StringComparer.Ordinal);

    /// <summary>The case's samples; throws <see cref="ReportException"/> naming the file and case when they are missing.</summary>
    public double[] For(BenchCaseRecord record)
    {
        var path = Path.Combine(runDir, record.Export);
        if (!files.TryGetValue(record.Export, out var entries))
        {
            entries = Read(path);
            files[record.Export] = entries;
        }

        if (!entries.TryGetValue(record.Entry, out var samples) || samples.Length == 0)
        {
            throw new ReportException($"{Path.GetFullPath(path)}: no raw samples for case '{record.Entry}' (expected its Workload/Actual measurements)");
        }

        return samples;
    }

    private static Dictionary<string, double[]> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ReportException($"{Path.GetFullPath(path)}: not found: the run has no raw samples (BenchmarkDotNet's full JSON export was removed or never written)");
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
            foreach (var benchmark in doc.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                var samples = new List<double>();
                if (benchmark.TryGetProperty("Measurements", out var measurements) && measurements.ValueKind == JsonValueKind.Array)
                {
                    foreach (var m in measurements.EnumerateArray())
                    {
                        if (m.GetProperty("IterationMode").GetString() == "Workload" && m.GetProperty("IterationStage").GetString() == "Actual")
                        {
                            samples.Add(m.GetProperty("Nanoseconds").GetDouble() / m.GetProperty("Operations").GetInt64() / 1e6);
                        }
                    }
                }

                result[benchmark.GetProperty("DisplayInfo").GetString()!] = [.. samples];
            }

            return result;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ReportException(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFullPath(path)}: not a BenchmarkDotNet full JSON export ({ex.Message})"));
        }
    }
}
