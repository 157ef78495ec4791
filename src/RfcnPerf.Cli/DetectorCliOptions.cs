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

    public Option<bool> NoSpin { get; } = new("--no-spin") { Description = "Do not let idle intra-op threads spin" };

    public Option<float?> ScoreThreshold { get; } = new("--score-threshold") { Description = "Keep detections scoring above this (default: the family's published evaluation value)" };

    public Option<float?> IouThreshold { get; } = new("--iou-threshold") { Description = "Class-wise NMS IoU threshold (default: the family's)" };

    public Option<int?> MaxDets { get; } = new("--max-dets") { Description = "Detections kept per image (default: the family's)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Family, Batch, Intra, Inter, Parallel, NoSpin, ScoreThreshold, IouThreshold, MaxDets })
        {
            command.Options.Add(option);
        }
    }

    public ModelFamily? GetFamily(ParseResult parse) => parse.GetValue(Family) is { } f ? ModelFamilyNames.Parse(f) : null;

    public int GetBatch(ParseResult parse) => parse.GetValue(Batch) is var b and >= 1
        ? b
        : throw new RfcnPerfException($"--batch must be at least 1, got {parse.GetValue(Batch)}");

    public SessionSettings GetSettings(ParseResult parse) => new()
    {
        IntraOpThreads = NonNegative(parse.GetValue(Intra), "--intra"),
        InterOpThreads = NonNegative(parse.GetValue(Inter), "--inter"),
        ExecutionMode = parse.GetValue(Parallel) ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
        AllowSpinning = !parse.GetValue(NoSpin),
    };

    /// <summary>The family defaults with any thresholds the user overrode.</summary>
    public PostprocessOptions GetPostprocess(ParseResult parse, PostprocessOptions defaults) =>
        defaults.With(parse.GetValue(ScoreThreshold), parse.GetValue(IouThreshold), parse.GetValue(MaxDets));

    private static int NonNegative(int value, string name) => value >= 0
        ? value
        : throw new RfcnPerfException($"{name} must be 0 or more, got {value}");
}
