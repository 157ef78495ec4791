using RfcnPerf.Core.Pipeline;
using Spectre.Console;

namespace RfcnPerf.Cli;

/// <summary>Runs a detection pass with a progress bar on an interactive terminal (plain otherwise).</summary>
internal static class ProgressRunner
{
    /// <summary>
    /// Runs <paramref name="images"/> through <paramref name="pipeline"/>: pipelined (decoding and pre-processing
    /// overlap the model call) unless <paramref name="sequential"/>, which keeps per-request stage latencies.
    /// </summary>
    public static DetectionRunResult Run(DetectionPipeline pipeline, IReadOnlyList<ImageRef> images, bool skipBadImages, bool sequential, string label = "detect")
    {
        using var runner = sequential ? null : new PipelinedDetectionRunner(pipeline);
        DetectionRunResult Pass(Action<int>? progress) => runner is null
            ? DetectionRunner.Run(pipeline, images, skipBadImages, progress)
            : runner.Run(images, skipBadImages, progress);

        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return Pass(null);
        }

        DetectionRunResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, images.Count));
                result = Pass(done => task.Value = done);
            });
        return result!;
    }
}
