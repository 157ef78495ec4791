using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Onnx;

namespace RfcnPerf.Core.Profiling;

/// <summary>
/// Where one model's Run time goes, per node and per operator type, from ONNX Runtime's profiler joined with our
/// FLOP estimate and the machine's peaks. Times are means over the profiled steady runs, in milliseconds per run.
/// </summary>
public sealed record OperatorProfile
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Model file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Images per run.</summary>
    public required int Batch { get; init; }

    /// <summary>Session settings, e.g. <c>intra=0 inter=0 sequential</c>.</summary>
    public required string Settings { get; init; }

    /// <summary>Steady runs profiled.</summary>
    public required int Runs { get; init; }

    /// <summary>Mean Run duration as the profiler saw it (model_run events).</summary>
    public required double ProfiledRunMs { get; init; }

    /// <summary>Mean of the per-run sums of kernel times.</summary>
    public required double KernelSumMs { get; init; }

    /// <summary>Time ORT spends in a profiled Run outside kernels (scheduling, allocation, copies): run minus kernels.</summary>
    public double OutsideKernelsMs => ProfiledRunMs - KernelSumMs;

    /// <summary>The model call without the profiler, same settings, same process, alternating blocks.</summary>
    public required LatencySummary ModelCall { get; init; }

    /// <summary>Kernel sum over the unprofiled model call's mean (1 = the per-node times explain the call exactly).</summary>
    public double KernelSumOverModelCall => KernelSumMs / ModelCall.MeanMs;

    /// <summary>Operations per run the FLOP estimate found for the profiled nodes (10^9), float and integer together.</summary>
    public required double MatchedGigaOps { get; init; }

    /// <summary>Operations per run of the whole model by the estimate (10^9).</summary>
    public required double ModelGigaOps { get; init; }

    /// <summary>FP32 peak of the cores the session may use (GFLOP/s); null when unknown.</summary>
    public required double? PeakFp32Gflops { get; init; }

    /// <summary>INT8 peak of the cores the session may use (GOP/s); null when unknown.</summary>
    public required double? PeakInt8Gops { get; init; }

    /// <summary>Origin of the peaks.</summary>
    public required string PeakSource { get; init; }

    /// <summary>Raw ORT trace (Chrome trace format).</summary>
    public required string TracePath { get; init; }

    /// <summary>Per operator type, most time first.</summary>
    public required IReadOnlyList<ProfileRow> ByOpType { get; init; }

    /// <summary>Per node, most time first.</summary>
    public required IReadOnlyList<ProfileRow> ByNode { get; init; }

    private const string NchwcSuffix = "_nchwc";

    internal static OperatorProfile Build(
        string model, string modelPath, ProfileOptions options, IReadOnlyList<TraceRun> runs, IReadOnlyList<double> callMs,
        IReadOnlyList<NodeCompute> estimate, double modelGigaOpsPerImage, PeakInForce peaks, int cores, int physicalCores, string tracePath, string settings)
    {
        // Per-image estimates by node name: ORT keeps the graph's node names for the kernels it runs, except that
        // its NCHWc layout pass names the Conv it replaces "<first output>_nchwc". Nodes ORT creates (reorders,
        // fused activations) have no estimate and show n/a.
        var ops = new Dictionary<string, NodeCompute>(StringComparer.Ordinal);
        foreach (var n in estimate)
        {
            ops.TryAdd(n.Name, n);
        }

        foreach (var n in estimate)
        {
            ops.TryAdd(n.Output + NchwcSuffix, n);
        }

        var fp32Peak = peaks.For(false, cores, physicalCores);
        var int8Peak = peaks.For(true, cores, physicalCores);
        var count = runs.Count;
        var nodes = runs
            .SelectMany(r => r.Kernels)
            .GroupBy(k => (k.Node, k.OpType))
            .Select(g =>
            {
                var totalUs = g.Sum(k => (double)k.DurationUs);
                var estimate = ops.GetValueOrDefault(g.Key.Node) ?? ops.GetValueOrDefault(WithoutToken(g.Key.Node));
                var gigaOps = estimate is null ? (double?)null : estimate.GigaOps * options.Batch;
                var calls = g.Count();
                var bytes = g.Sum(k => (double)(k.ActivationBytes + k.ParameterBytes + k.OutputBytes)) / calls;
                return Row(g.Key.Node, g.Key.OpType, 1, totalUs / 1000 / count, gigaOps, bytes, IsInteger(g.Key.OpType) ? int8Peak : fp32Peak, IsInteger(g.Key.OpType));
            })
            .ToList();
        var kernelSum = nodes.Sum(n => n.MeanMs);
        nodes = nodes.Select(n => n with { Share = n.MeanMs / kernelSum }).OrderByDescending(n => n.MeanMs).ToList();
        var types = nodes
            .GroupBy(n => n.OpType)
            .Select(g =>
            {
                var known = g.Where(n => n.GigaOps is not null).ToList();
                double? gigaOps = known.Count == 0 ? null : known.Sum(n => n.GigaOps!.Value);

                // GFLOP/s of a type counts only its nodes with an estimate, over those nodes' time.
                var knownMs = known.Sum(n => n.MeanMs);
                var integer = IsInteger(g.Key);
                var row = Row(g.Key, g.Key, g.Count(), g.Sum(n => n.MeanMs), gigaOps, g.Sum(n => n.BytesPerRun), integer ? int8Peak : fp32Peak, integer);
                return row with
                {
                    Share = row.MeanMs / kernelSum,
                    GigaOpsPerSecond = gigaOps is { } o && knownMs > 0 ? o / (knownMs / 1000) : null,
                    PercentOfPeak = gigaOps is { } p && knownMs > 0 && (integer ? int8Peak : fp32Peak) is { } peak and > 0 ? 100 * p / (knownMs / 1000) / peak : null,
                };
            })
            .OrderByDescending(r => r.MeanMs)
            .ToList();

        return new OperatorProfile
        {
            Model = model,
            ModelPath = modelPath,
            Batch = options.Batch,
            Settings = settings,
            Runs = count,
            ProfiledRunMs = runs.Average(r => r.DurationUs) / 1000,
            KernelSumMs = kernelSum,
            ModelCall = LatencySummary.FromRuns(callMs.Select(ms => (ms, false))),
            MatchedGigaOps = nodes.Sum(n => n.GigaOps ?? 0),
            ModelGigaOps = modelGigaOpsPerImage * options.Batch,
            PeakFp32Gflops = fp32Peak,
            PeakInt8Gops = int8Peak,
            PeakSource = peaks.Source,
            TracePath = tracePath,
            ByOpType = types,
            ByNode = nodes,
        };
    }

    /// <summary>
    /// ORT's graph passes make a new node's name unique by appending <c>_token_N</c> to the name it derives it from
    /// (e.g. <c>Conv_0_quant_token_27</c>); the estimate is under the name without it.
    /// </summary>
    internal static string WithoutToken(string node)
    {
        var at = node.LastIndexOf("_token_", StringComparison.Ordinal);
        return at > 0 && node.AsSpan(at + 7).Length > 0 && int.TryParse(node.AsSpan(at + 7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            ? node[..at]
            : node;
    }

    /// <summary>The ONNX operator a kernel computes whatever its precision or fusion (the operator table's rule).</summary>
    public static string Canonical(string opType) => OperatorKernels.Canonical(opType);

    private static bool IsInteger(string opType) => OperatorKernels.IsInteger(opType);

    private static ProfileRow Row(string name, string opType, int nodes, double meanMs, double? gigaOps, double bytes, double? peak, bool integer)
    {
        double? rate = gigaOps is { } o && meanMs > 0 ? o / (meanMs / 1000) : null;
        return new ProfileRow(name, opType, nodes, meanMs, 0, gigaOps, rate, peak is > 0 ? rate / peak * 100 : null, bytes, gigaOps is { } g && bytes > 0 ? g * 1e9 / bytes : null, integer);
    }
}

/// <summary>One node or operator type of a profile.</summary>
/// <param name="Name">Node name (the op type for a per-type row).</param>
/// <param name="OpType">Operator type as ONNX Runtime ran it (after its fusions).</param>
/// <param name="Nodes">Nodes in the row.</param>
/// <param name="MeanMs">Mean milliseconds per run.</param>
/// <param name="Share">Share of the summed kernel time (0-1).</param>
/// <param name="GigaOps">10^9 operations per run by our estimate; null when the node has none (no FLOP rule or a node ORT created).</param>
/// <param name="GigaOpsPerSecond">Achieved 10^9 operations per second.</param>
/// <param name="PercentOfPeak">Achieved rate over the FP32 (or INT8 for integer kernels) peak of the cores in use.</param>
/// <param name="BytesPerRun">Bytes ORT records the kernel touching per run: inputs + weights + outputs.</param>
/// <param name="Intensity">Operations per byte (arithmetic intensity) by that byte count.</param>
/// <param name="Integer">Integer arithmetic (compared with the INT8 peak).</param>
public sealed record ProfileRow(string Name, string OpType, int Nodes, double MeanMs, double Share, double? GigaOps, double? GigaOpsPerSecond, double? PercentOfPeak, double BytesPerRun, double? Intensity, bool Integer);
