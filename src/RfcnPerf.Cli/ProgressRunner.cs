using RfcnPerf.Core.Pipeline;
using Spectre.Console;

namespace RfcnPerf.Cli;

/// <summary>Runs a detection pass with a progress bar on an interactive terminal (plain otherwise).</summary>
internal static class ProgressRunner
{
    public static DetectionRunResult Run(DetectionPipeline pipeline, IReadOnlyList<ImageRef> images, bool skipBadImages, string label = "detect")
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return DetectionRunner.Run(pipeline, images, skipBadImages);
        }

        DetectionRunResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), maxValue: Math.Max(1, images.Count));
                result = DetectionRunner.Run(pipeline, images, skipBadImages, done => task.Value = done);
            });
        return result!;
    }
}
