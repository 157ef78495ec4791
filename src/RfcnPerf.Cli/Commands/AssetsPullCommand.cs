using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Data;
using Spectre.Console;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf assets pull [NAME...|--all]</c>: fetch and verify catalog models into the cache, and
/// <c>coco-val2017</c>: the official val2017 images and annotations into the cache (or <c>--coco DIR</c>).
/// </summary>
internal static class AssetsPullCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("NAME") { Description = $"Catalog model names, or {CocoDownload.AssetName} (default: the default model)", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Pull every catalog model" };
        var coco = new Option<string?>("--coco") { Description = $"Folder to put {CocoDownload.AssetName} into (default: the cache's coco/, which commands then use when no COCO folder is configured)" };
        var command = new Command("pull", $"Fetch and verify (sha256) models into the cache, or the COCO val2017 images and annotations ({CocoDownload.AssetName})") { names, all, coco };
        command.SetAction((parse, cancellationToken) =>
        {
            var store = AssetStore.FromEnvironment();
            var requested = parse.GetValue(names) is { Length: > 0 } n ? n : [];
            var pullCoco = requested.Any(IsCoco);
            var models = parse.GetValue(all)
                ? ModelCatalog.All.ToList()
                : (requested.Length > 0 ? requested.Where(x => !IsCoco(x)) : [ModelCatalog.DefaultModel])
                    .Select(x => ModelCatalog.Find(x) ?? throw new RfcnPerfException(
                        $"unknown asset '{x}': known are {CocoDownload.AssetName} and the models {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}"))
                    .ToList();
            if (pullCoco && requested.All(IsCoco) && !parse.GetValue(all))
            {
                models.Clear();
            }

            foreach (var model in models)
            {
                var path = store.Resolve(model, msg => Console.Error.WriteLine(msg));
                Console.WriteLine($"{model.Name,-30} {path}  sha256 ok");
            }

            if (pullCoco)
            {
                var root = parse.GetValue(coco) ?? CocoDownload.DefaultRoot(store.CacheDir);
                var done = PullCoco(root, cancellationToken);
                Console.WriteLine($"{CocoDownload.AssetName,-30} {done}  sha256 ok (val2017/, annotations/instances_val2017.json)");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static bool IsCoco(string name) => string.Equals(name, CocoDownload.AssetName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Downloads with a progress bar per archive on a terminal, a line per 10% otherwise.</summary>
    private static string PullCoco(string root, CancellationToken cancellationToken)
    {
        void Log(string message) => Console.Error.WriteLine(message);
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            var lastTenth = new Dictionary<string, long>(StringComparer.Ordinal);
            return CocoDownload.Pull(root, CocoDownload.Official, (file, bytes, total) =>
            {
                var tenth = total > 0 ? bytes * 10 / total : -1;
                if (!lastTenth.TryGetValue(file, out var last) || tenth > last)
                {
                    lastTenth[file] = tenth;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {file}: {bytes / 1e6:F1} of {(total > 0 ? (total / 1e6).ToString("F1", CultureInfo.InvariantCulture) : "?")} MB"));
                }
            }, Log, cancellationToken);
        }

        string? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                result = CocoDownload.Pull(root, CocoDownload.Official, (file, bytes, total) =>
                {
                    if (!tasks.TryGetValue(file, out var task))
                    {
                        task = tasks[file] = ctx.AddTask(Markup.Escape(file), maxValue: Math.Max(1, total));
                    }

                    task.Value = bytes;
                }, Log, cancellationToken);
            });
        return result!;
    }
}
