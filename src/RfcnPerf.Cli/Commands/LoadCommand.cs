using System.CommandLine;
using System.Globalization;
using RfcnPerf.Core;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Serving.Load;
using Spectre.Console;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf load</c>: the recipe's client, generalised. Closed loop (--concurrency) or open loop
/// (--rate, Poisson), real COCO images, bounded by --requests / --duration; prints the recipe's average,
/// latency and images/s plus percentiles, requests/s and errors by status, and writes JSON.
/// </summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var url = new Option<string[]>("--url") { Description = "Model URL: http://127.0.0.1:8501/v1/models/rfcn (tfserving-rest), .../v2/models/rfcn (kserve), http://127.0.0.1:8500/rfcn (tfserving-grpc); required except with --scenario --model; --scenario: repeat to run several served models in turn, side by side" };
        var protocol = new Option<string>("--protocol") { Description = "tfserving-rest | tfserving-grpc | kserve", DefaultValueFactory = _ => "tfserving-rest" };
        var images = new Option<string?>("--images") { Description = "Image folder (default: the COCO folder's val2017/)" };
        var coco = new Option<string?>("--coco") { Description = "COCO folder (default: RFCNPERF_COCO, else ./data/coco)" };
        var payload = new Option<string>("--payload") { Description = "b64 (encoded JPEG) | raw (uint8 HxWx3 nested lists / tensor, what the recipe's client sends)", DefaultValueFactory = _ => "b64" };
        var batch = new Option<int>("--batch") { Description = "Images per request", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<int>("--concurrency") { Description = "Closed loop: clients sending back to back", DefaultValueFactory = _ => 1 };
        var rate = new Option<double?>("--rate") { Description = "Open loop: Poisson arrivals, requests per second (latency counted from the intended send time)" };
        var duration = new Option<double?>("--duration") { Description = "Seconds of measured load (default 30 unless --requests)" };
        var requests = new Option<int?>("--requests") { Description = "Measured requests (--recipe: 20 at batch 1, 10 at batch 128)" };
        var warmup = new Option<int?>("--warmup") { Description = "Unmeasured requests sent first (default 2; --recipe: 10 at batch 1, 2 at batch 128)" };
        var json = new Option<string?>("--json") { Description = "Write the result as JSON here" };
        var recipe = new Option<bool>("--recipe") { Description = "The recipe's two scenarios (batch 1: 10 warm-up + 20 requests; batch --recipe-batch: 2 + 10), each request alternated with the same request in-process; table and JSON in --out-dir" };
        var recipeBatch = new Option<int>("--recipe-batch") { Description = "Batch of the throughput scenario (1 = the latency scenario only)", DefaultValueFactory = _ => 128 };
        var model = new Option<string[]>("--model") { Description = "--scenario: the model(s) to run in process (catalog name or .onnx; repeat to compare); --recipe: the model the server runs, for the in-process numbers (default " + Core.Assets.ModelCatalog.DefaultModel + ")" };
        var intra = new Option<int>("--intra") { Description = "--recipe: intra-op threads in-process (use the server's)", DefaultValueFactory = _ => 0 };
        var inter = new Option<int>("--inter") { Description = "--recipe: inter-op threads in-process (use the server's)", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string?>("--out-dir") { Description = "--recipe / --rates: where the report goes (default results/serving/<yyyyMMdd-HHmmss>)" };
        var rates = new Option<string?>("--rates") { Description = "Open-loop sweep: comma-separated offered rates (req/s), each for --duration; table and p99 chart of every sweep in --out-dir" };
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "The server's Prometheus /metrics, read for its RSS before and after the run (default: the REST URL's host + /metrics; 'none' skips)" };
        var label = new Option<string>("--label") { Description = "--rates: name of this sweep in the chart (e.g. batching-on)", DefaultValueFactory = _ => "sweep" };
        var command = new Command("load", "Load-test a TF Serving / KServe v2 endpoint (ours or any other) and report latency and throughput")
        {
            url, protocol, images, coco, payload, batch, concurrency, rate, duration, requests, warmup, json, recipe, recipeBatch, model, intra, inter, outDir, rates, label, metricsUrl,
        };
        var scenarios = new LoadScenarioOptions();
        scenarios.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            var warmupCount = parse.GetValue(warmup) is { } wu ? (wu >= 0 ? wu : throw new RfcnPerfException($"--warmup must be 0 or more, got {wu}")) : (int?)null;
            var models = parse.GetValue(model) ?? [];
            var urls = parse.GetValue(url) ?? [];
            if (parse.GetValue(scenarios.Scenario) is not null)
            {
                var remotes = urls.Select(u => new LoadOptions
                {
                    Url = ParseUrl(u),
                    Protocol = ParseProtocol(parse.GetValue(protocol)!),
                    Payload = ParsePayload(parse.GetValue(payload)!),
                    Images = [],
                }).ToArray();
                var settings = new Core.Inference.SessionSettings { IntraOpThreads = parse.GetValue(intra), InterOpThreads = parse.GetValue(inter) };
                var scenarioDir = parse.GetValue(outDir) ?? Path.Combine("results", "load", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
                return await scenarios.RunAsync(parse, remotes, models, parse.GetValue(images), parse.GetValue(coco), settings, scenarioDir, cancel);
            }

            if (urls.Length > 1)
            {
                throw new RfcnPerfException($"--url is given {urls.Length} times; only --scenario runs several served models (in turn, side by side)");
            }

            var target = ParseUrl(urls.FirstOrDefault() ?? throw new RfcnPerfException("--url is required (the model URL, e.g. http://127.0.0.1:8501/v1/models/rfcn), except with --scenario --model"));
            var protocolKind = ParseProtocol(parse.GetValue(protocol)!);
            var options = new LoadOptions
            {
                Url = target,
                Protocol = protocolKind,
                MetricsUrl = MetricsUrl(parse.GetValue(metricsUrl), target, protocolKind),
                Payload = ParsePayload(parse.GetValue(payload)!),
                Images = ResolveImages(parse.GetValue(images), parse.GetValue(coco)),
                Batch = Positive(parse.GetValue(batch), "--batch"),
                Concurrency = Positive(parse.GetValue(concurrency), "--concurrency"),
                Rate = parse.GetValue(rate),
                Duration = parse.GetValue(duration) is { } d ? TimeSpan.FromSeconds(d > 0 ? d : throw new RfcnPerfException($"--duration must be positive, got {d}")) : null,
                Requests = parse.GetValue(requests) is { } r ? Positive(r, "--requests") : null,
                Warmup = warmupCount ?? LoadOptions.DefaultWarmup,
            };
            if (parse.GetValue(rates) is { } list)
            {
                var sweep = new List<LoadResult>();
                foreach (var text in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var offered = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
                        ? value
                        : throw new RfcnPerfException($"--rates must be positive numbers separated by commas, got '{text}'");
                    var point = await RunWithProgressAsync(options with { Rate = offered, Duration = options.Duration ?? TimeSpan.FromSeconds(20) }, cancel);
                    Print(point);
                    sweep.Add(point);
                }

                var sweepDir = parse.GetValue(outDir) ?? Path.Combine("results", "serving", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
                OpenLoopReport.Add(sweepDir, parse.GetValue(label)!, sweep, Console.Out);
                return 0;
            }

            if (parse.GetValue(recipe))
            {
                var settings = new Core.Inference.SessionSettings { IntraOpThreads = parse.GetValue(intra), InterOpThreads = parse.GetValue(inter) };
                var located = Core.Assets.ModelLocator.Locate(models.FirstOrDefault() ?? Core.Assets.ModelCatalog.DefaultModel, Core.Assets.AssetStore.FromEnvironment(), msg => Console.Error.WriteLine(msg));
                var dir = parse.GetValue(outDir) ?? Path.Combine("results", "serving", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
                await RecipeReport.RunAsync(options, located, settings, Positive(parse.GetValue(recipeBatch), "--recipe-batch"), parse.GetValue(requests), warmupCount, dir, Console.Out);
                return 0;
            }

            var result = await RunWithProgressAsync(options, cancel);
            Print(result);
            if (parse.GetValue(json) is { } path)
            {
                LoadJson.Write(path, result);
                Console.WriteLine($"wrote {Path.GetFullPath(path)}");
            }

            return result.Succeeded > 0 ? 0 : 1;
        });
        return command;
    }

    internal static async Task<LoadResult> RunWithProgressAsync(LoadOptions options, CancellationToken cancel)
    {
        Console.WriteLine($"{LoadProtocolNames.Name(options.Protocol)} {options.Payload.ToString().ToLowerInvariant()}, batch {options.Batch}, " +
            (options.Rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"open loop at {r:G4} req/s") : $"closed loop, {options.Concurrency} client(s)") +
            $", {options.Images.Count} images -> {options.Url}");
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return await LoadGenerator.RunAsync(options, null, cancel);
        }

        LoadResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("load", maxValue: 1);
                result = await LoadGenerator.RunAsync(options, f => task.Value = f, cancel);
            });
        return result!;
    }

    internal static void Print(LoadResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{r.Sent} requests in {r.WallSeconds:F1} s ({r.RequestBytes / 1024.0:F0} KiB each), {r.Succeeded} answered 200"));
        var latency = r.Batch == 1 ? string.Create(inv, $"   Latency at batch 1: {r.MeanMs:F2} ms") : string.Empty;
        Console.WriteLine(string.Create(inv, $"Average time: {r.MeanMs:F2} ms{latency}   Throughput: {r.ImagesPerSecond:F2} images/s"));
        Console.WriteLine(string.Create(inv, $"p50 {r.P50Ms:F2}  p90 {r.P90Ms:F2}  p99 {r.P99Ms:F2}  p99.9 {r.P999Ms:F2}  max {r.MaxMs:F2} ms   requests/s {r.RequestsPerSecond:F2}"));
        Console.WriteLine(MemoryLine(r));
        if (r.StoppedEarly is { } why)
        {
            Console.WriteLine(why);
        }

        Console.WriteLine("errors: " + (r.ErrorsByStatus.Count == 0 ? "none" : string.Join(", ", r.ErrorsByStatus.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} x{e.Value}"))));
    }

    /// <summary>The server's RSS (and managed heap) before and after the run, or why it is not known.</summary>
    internal static string MemoryLine(LoadResult r)
    {
        if (r.ServerMemoryBefore is not { } before || r.ServerMemoryAfter is not { } after)
        {
            return "server memory: not known (no /metrics with process_working_set_bytes; --metrics-url URL)";
        }

        var heap = before.ManagedHeapBytes is { } h0 && after.ManagedHeapBytes is { } h1 ? $"; managed heap {ServerMemory.MiB(h0)} -> {ServerMemory.MiB(h1)}" : string.Empty;
        var growth = (long)Math.Round((after.ResidentBytes - before.ResidentBytes) / 1048576.0);
        return string.Create(CultureInfo.InvariantCulture, $"server memory: RSS {ServerMemory.MiB(before.ResidentBytes)} before, {ServerMemory.MiB(after.ResidentBytes)} after ({(growth >= 0 ? "+" : string.Empty)}{growth} MiB){heap}");
    }

    internal static IReadOnlyList<string> ResolveImages(string? folder, string? coco) =>
        ImageList.FromFolder(ImageFolder(folder, coco)).Select(i => i.Path).ToArray();

    /// <summary><c>--images</c>, else the COCO folder's val2017/; it must exist.</summary>
    internal static string ImageFolder(string? folder, string? coco)
    {
        var dir = folder ?? CocoDataPaths.Resolve(coco).Images;
        CocoDataPaths.Require(dir, "image folder");
        return dir;
    }

    internal static LoadProtocol ParseProtocol(string text) => text switch
    {
        "tfserving-rest" => LoadProtocol.TfServingRest,
        "tfserving-grpc" => LoadProtocol.TfServingGrpc,
        "kserve" => LoadProtocol.KServe,
        _ => throw new RfcnPerfException($"--protocol must be tfserving-rest, tfserving-grpc or kserve, got '{text}'"),
    };

    private static LoadPayload ParsePayload(string text) => text switch
    {
        "b64" => LoadPayload.B64,
        "raw" => LoadPayload.Raw,
        _ => throw new RfcnPerfException($"--payload must be b64 or raw, got '{text}'"),
    };

    private static Uri ParseUrl(string text, string option = "--url", string example = "http://127.0.0.1:8501/v1/models/rfcn") =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new RfcnPerfException($"{option} must be an absolute http URL such as {example}, got '{text}'");

    /// <summary>--metrics-url, else the REST URL's scheme, host and port + /metrics (gRPC's port has none).</summary>
    private static Uri? MetricsUrl(string? text, Uri target, LoadProtocol protocol) => text switch
    {
        "none" => null,
        { } given => ParseUrl(given, "--metrics-url", "http://127.0.0.1:8501/metrics"),
        null when protocol != LoadProtocol.TfServingGrpc => new Uri(new Uri(target.GetLeftPart(UriPartial.Authority)), "/metrics"),
        _ => null,
    };

    private static int Positive(int value, string name) => value >= 1 ? value : throw new RfcnPerfException($"{name} must be at least 1, got {value}");
}
