using System.Text.Json;

namespace RfcnPerf.Core.Profiling;

/// <summary>
/// ONNX Runtime's profile (Chrome trace JSON: an array of complete events). Kept: the <c>model_run</c> session
/// events (one per Run) and the <c>&lt;node&gt;_kernel_time</c> node events with their <c>op_name</c>, duration and
/// the byte counts ORT records (<c>activation_size</c> = inputs, <c>parameter_size</c> = weights,
/// <c>output_size</c>), each assigned to the run whose time span contains it.
/// </summary>
public sealed class OrtTrace
{
    private const string KernelSuffix = "_kernel_time";

    private OrtTrace(IReadOnlyList<TraceRun> runs) => Runs = runs;

    /// <summary>Every Run of the session in order, with its kernels.</summary>
    public IReadOnlyList<TraceRun> Runs { get; }

    /// <summary>Reads a trace file; a malformed file throws <see cref="RfcnPerfException"/> naming it.</summary>
    public static OrtTrace Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(JsonDocument.Parse(stream).RootElement, path);
        }
        catch (JsonException ex)
        {
            throw new RfcnPerfException($"{path}: not an ONNX Runtime profile (JSON array of trace events expected): {ex.Message}", ex);
        }
    }

    /// <summary>Parses the text of a trace (tests).</summary>
    internal static OrtTrace Parse(string json, string where = "trace") => Parse(JsonDocument.Parse(json).RootElement, where);

    private static OrtTrace Parse(JsonElement root, string where)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new RfcnPerfException($"{where}: an ONNX Runtime profile is a JSON array of events, found {root.ValueKind}");
        }

        var runs = new List<(long Ts, long Dur)>();
        var kernels = new List<(long Ts, TraceKernel Kernel)>();
        var index = 0;
        foreach (var e in root.EnumerateArray())
        {
            index++;
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("name", out var nameProp) || nameProp.GetString() is not { } name)
            {
                continue;
            }

            var cat = e.TryGetProperty("cat", out var c) ? c.GetString() : null;
            long Num(string field) => e.TryGetProperty(field, out var v) && v.TryGetInt64(out var n)
                ? n
                : throw new RfcnPerfException($"{where}: event {index} ({name}) has no integer \"{field}\"");

            if (cat == "Session" && name == "model_run")
            {
                runs.Add((Num("ts"), Num("dur")));
            }
            else if (cat == "Node" && name.EndsWith(KernelSuffix, StringComparison.Ordinal))
            {
                var args = e.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
                string? Arg(string field) => args.ValueKind == JsonValueKind.Object && args.TryGetProperty(field, out var v)
                    ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
                    : null;
                long Bytes(string field) => long.TryParse(Arg(field), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
                kernels.Add((Num("ts"), new TraceKernel(
                    name[..^KernelSuffix.Length],
                    Arg("op_name") ?? "?",
                    Num("dur"),
                    Bytes("activation_size"),
                    Bytes("parameter_size"),
                    Bytes("output_size"),
                    Arg("provider"))));
            }
        }

        runs.Sort((x, y) => x.Ts.CompareTo(y.Ts));
        kernels.Sort((x, y) => x.Ts.CompareTo(y.Ts));
        var result = new List<TraceRun>(runs.Count);
        var k = 0;
        foreach (var (ts, dur) in runs)
        {
            // Kernels that started before this run (none in a well-formed trace) are dropped.
            while (k < kernels.Count && kernels[k].Ts < ts)
            {
                k++;
            }

            var inRun = new List<TraceKernel>();
            while (k < kernels.Count && kernels[k].Ts <= ts + dur)
            {
                inRun.Add(kernels[k].Kernel);
                k++;
            }

            result.Add(new TraceRun(dur, inRun));
        }

        return new OrtTrace(result);
    }
}

/// <summary>One Run: its wall duration and the kernels it executed, in microseconds.</summary>
public sealed record TraceRun(long DurationUs, IReadOnlyList<TraceKernel> Kernels);

/// <summary>One kernel execution of one node (times in microseconds, sizes in bytes as ORT records them).</summary>
public sealed record TraceKernel(string Node, string OpType, long DurationUs, long ActivationBytes, long ParameterBytes, long OutputBytes, string? Provider);
