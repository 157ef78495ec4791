using System.CommandLine;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;

namespace RfcnPerf.Cli.Commands;

/// <summary><c>rfcnperf assets pull [NAME...|--all]</c>: fetch and verify catalog models into the cache.</summary>
internal static class AssetsPullCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("NAME") { Description = "Catalog model names (default: the default model)", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Pull every catalog model" };
        var command = new Command("pull", "Fetch and verify (sha256) models into the cache") { names, all };
        command.SetAction(parse =>
        {
            var store = AssetStore.FromEnvironment();
            var requested = parse.GetValue(all)
                ? ModelCatalog.All.ToList()
                : (parse.GetValue(names) is { Length: > 0 } n ? n : [ModelCatalog.DefaultModel])
                    .Select(x => ModelCatalog.Find(x) ?? throw new RfcnPerfException(
                        $"unknown model '{x}': known models are {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}"))
                    .ToList();
            foreach (var model in requested)
            {
                var path = store.Resolve(model, msg => Console.Error.WriteLine(msg));
                Console.WriteLine($"{model.Name,-30} {path}  sha256 ok");
            }

            return 0;
        });
        return command;
    }
}
