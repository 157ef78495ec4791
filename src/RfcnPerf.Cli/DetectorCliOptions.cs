using System.CommandLine;
using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.PostProcessing;

namespace RfcnPerf.Cli;

/// <summary>The session and post-processing options shared by <c>detect</c> and <c>eval run</c>.</summary>
internal sealed class DetectorCliOptions
{
    public Option<string?> Family { get; } = new("--family") { Description = "yolov8 | nanodet-plus | tf-od-api (default: inferred from the model)" };

    public Option<int> Batch { get; } = new("--batch") { Description = "Images per run (fixed-batch models are batchified)", DefaultValueFactory = _ => 1 };

    public Option<int> Intra { get; } = new("--intra") { Description = "Intra-op threads (0 = ONNX Runtime default: one per physical core)", DefaultValueFactory = _ => 0 };

    public Option<int> Inter { get; } = new("--inter") { Description = "Inter-op threads (with --parallel)", DefaultValueFactory = _ => 0 };

    public Option<bool> Parallel { get; } = new("--parallel") { Description = "Parallel execution mode (inter-op parallelism between graph branches)" };

    public Option<bool> NoSpin { get; } = new("--no-spin") { Description = "Do not let idle intra-op threads spin (the default of a pipelined detect / eval run)" };

    public Option<bool> Spin { get; } = new("--spin") { Description = "Let idle intra-op threads spin (the default of --sequential and serve)" };

    public Option<float?> ScoreThreshold { get; } = new("--score-threshold") { Description = "Keep detections scoring above this (default: the family's published evaluation value)" };

    public Option<float?> IouThreshold { get; } = new("--iou-threshold") { Description = "Class-wise NMS IoU threshold (default: the family's)" };

    public Option<int?> MaxDets { get; } = new("--max-dets") { Description = "Detections kept per image (default: the family's)" };

    /// <summary>Run every stage of a request in series (per-request stage latencies) instead of pipelined.</summary>
    public Option<bool> Sequential { get; } = new("--sequential") { Description = "Decode, pre-process, run and post-process each request in series (per-request stage latencies) instead of overlapping decoding and pre-processing with the model call" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Family, Batch, Intra, Inter, Parallel, NoSpin, Spin, ScoreThreshold, IouThreshold, MaxDets, Sequential })
        {
            command.Options.Add(option);
        }
    }

    public ModelFamily? GetFamily(ParseResult parse) => parse.GetValue(Family) is { } f ? ModelFamilyNames.Parse(f) : null;

    public int GetBatch(ParseResult parse) => parse.GetValue(Batch) is var b and >= 1
        ? b
        : throw new RfcnPerfException($"--batch must be at least 1, got {parse.GetValue(Batch)}");

    /// <summary>
    /// Session settings from the options. Idle intra-op threads spin unless told otherwise, except in a
    /// <paramref name="pipelined"/> run: there ORT's spinning threads hold the cores the decoder needs (measured
    /// with `rfcnperf model speed --end-to-end`: on 2 cores the pipelined pass kept 0.87-0.91 of the model-call
    /// throughput without spinning against 0.80-0.86 with it, and was faster in absolute images/s too).
    /// </summary>
    public SessionSettings GetSettings(ParseResult parse, bool pipelined = false)
    {
        if (parse.GetValue(Spin) && parse.GetValue(NoSpin))
        {
            throw new RfcnPerfException("--spin and --no-spin contradict each other; give one");
        }

        return new()
        {
            IntraOpThreads = NonNegative(parse.GetValue(Intra), "--intra"),
            InterOpThreads = NonNegative(parse.GetValue(Inter), "--inter"),
            ExecutionMode = parse.GetValue(Parallel) ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            AllowSpinning = parse.GetValue(Spin) || (!parse.GetValue(NoSpin) && !pipelined),
        };
    }

    /// <summary>The family defaults with any thresholds the user overrode.</summary>
    public PostprocessOptions GetPostprocess(ParseResult parse, PostprocessOptions defaults) =>
        defaults.With(parse.GetValue(ScoreThreshold), parse.GetValue(IouThreshold), parse.GetValue(MaxDets));

    private static int NonNegative(int value, string name) => value >= 0
        ? value
        : throw new RfcnPerfException($"{name} must be 0 or more, got {value}");
}
