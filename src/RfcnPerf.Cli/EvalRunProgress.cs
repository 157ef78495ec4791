using System.Globalization;
using RfcnPerf.Accuracy;
using Spectre.Console;

namespace RfcnPerf.Cli;

/// <summary>
/// Shows an accuracy run: a progress bar per model pass on an interactive terminal, plain lines otherwise
/// (one every quarter of a pass, so logs stay short).
/// </summary>
internal sealed class EvalRunProgress : IAccuracyRunListener
{
    private readonly ProgressContext? context;
    private readonly Dictionary<string, (ProgressTask? Task, int Total, int LastQuarter)> passes = [];

    private EvalRunProgress(ProgressContext? context) => this.context = context;

    public static AccuracyReport Run(AccuracyRunOptions options, CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return AccuracyRunner.Run(options, new EvalRunProgress(null), cancellationToken);
        }

        AccuracyReport? report = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => report = AccuracyRunner.Run(options, new EvalRunProgress(ctx), cancellationToken));
        return report!;
    }

    public void Log(string message)
    {
        if (context is null)
        {
            Console.WriteLine(message);
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(message));
        }
    }

    public void DetectionStarted(string model, int images)
    {
        var task = context?.AddTask(Markup.Escape(model), maxValue: Math.Max(1, images));
        passes[model] = (task, images, 0);
    }

    public void DetectionProgress(string model, int done)
    {
        if (!passes.TryGetValue(model, out var pass))
        {
            return;
        }

        if (pass.Task is { } task)
        {
            task.Value = done;
            return;
        }

        var quarter = pass.Total == 0 ? 4 : done * 4 / pass.Total;
        if (quarter > pass.LastQuarter)
        {
            passes[model] = pass with { LastQuarter = quarter };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {model}: {done}/{pass.Total} images"));
        }
    }

    public void DetectionEnded(string model)
    {
        if (passes.TryGetValue(model, out var pass) && pass.Task is { } task)
        {
            task.StopTask();
        }
    }
}
