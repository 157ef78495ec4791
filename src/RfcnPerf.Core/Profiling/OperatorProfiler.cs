using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Models;
using RfcnPerf.Onnx;

namespace RfcnPerf.Core.Profiling;

/// <summary>What <see cref="OperatorProfiler.Run"/> does.</summary>
public sealed record ProfileOptions
{
    /// <summary>Images per run.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Intra-op threads (0 = ORT default).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Profiled runs after the warm-up, rounded up to whole blocks of <see cref="ComparisonOptions.MinBlockRequests"/>
    /// (each is matched by one unprofiled run of the same settings).
    /// </summary>
    public int Runs { get; init; } = 20;

    /// <summary>Family to force (else inferred).</summary>
    public ModelFamily? Family { get; init; }

    /// <summary>Folder for ORT's raw trace (kept for chrome://tracing / Perfetto).</summary>
    public required string TraceDir { get; init; }
}

/// <summary>
/// Runs a model under ONNX Runtime's profiler and joins its per-kernel times with our per-node FLOP estimate and
/// the machine's measured peaks. The profiler's own overhead is measured, not guessed: a second session with
/// the same settings and no profiler runs the same number of times, in alternating blocks of the
/// <see cref="InterleavedRunner"/>, and its model-call time is what the per-node sum is compared with.
/// </summary>
public static class OperatorProfiler
{
    /// <summary>Profiles <paramref name="modelPath"/>; <paramref name="peaks"/> gives % of peak.</summary>
    public static OperatorProfile Run(string modelPath, string modelName, ProfileOptions options, PeakInForce peaks, MachineInfo machine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Runs, 1);
        Directory.CreateDirectory(options.TraceDir);
        var settings = new SessionSettings { IntraOpThreads = options.IntraOpThreads };
        var prefix = Path.Combine(Path.GetFullPath(options.TraceDir), SafeName(modelName));
        using var profiled = DetectorSession.Open(modelPath, settings with { ProfilePrefix = prefix }, options.Batch, options.Family, modelName);
        using var plain = DetectorSession.Open(modelPath, settings, options.Batch, options.Family, modelName);
        Fill(profiled.Default);
        Fill(plain.Default);

        // The interleaved runner alternates blocks of the two sessions (ORT's idle threads of one left to go quiet
        // before the other's block) after a warm-up round, which also covers arena growth and first-run allocations;
        // the requested runs are rounded up to whole blocks.
        var comparison = new ComparisonOptions
        {
            FixedRounds = (options.Runs + ComparisonOptions.MinBlockRequests - 1) / ComparisonOptions.MinBlockRequests,
            WarmupRounds = 1,
            TimeCap = TimeSpan.MaxValue,
        };
        var result = InterleavedRunner.Run(
            ComparisonSide.Of("without profiler", () => plain.Default.Run()),
            ComparisonSide.Of("profiled", () => profiled.Default.Run()),
            comparison);

        var tracePath = profiled.EndProfiling();
        var trace = OrtTrace.Load(tracePath);
        var expected = result.Conditions.WarmupRequests + result.BRequestMs.Count;
        if (trace.Runs.Count < expected)
        {
            throw new RfcnPerfException($"{tracePath}: expected {expected} model_run events ({result.Conditions.WarmupRequests} warm-up + {result.BRequestMs.Count}), found {trace.Runs.Count}");
        }

        var info = ModelInfo.Read(profiled.ModelPath);
        var cores = options.IntraOpThreads is > 0 and var t ? Math.Min(t, machine.PhysicalCores) : machine.PhysicalCores;
        return OperatorProfile.Build(modelName, modelPath, options, trace.Runs.Skip(result.Conditions.WarmupRequests).ToArray(), result.ARequestMs, info.Compute.ByNode, info.Compute.TotalGigaOps, peaks, cores, machine.PhysicalCores, tracePath, settings.Describe());
    }

    private static void Fill(DetectorStream stream)
    {
        // Content does not change the graph's work for these families (NMS outside the graph); mid-gray input.
        if (stream.Head.Preprocess.Layout == Imaging.TensorLayout.NchwFloat)
        {
            for (var b = 0; b < stream.BatchSize; b++)
            {
                stream.InputSlot(b).Fill(0.5f);
            }
        }
        else
        {
            stream.PrepareImageInput(640, 480).Fill(128);
        }
    }

    private static string SafeName(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
}
