using System.CommandLine;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Models;
using RfcnPerf.Serving;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf serve</c>: a TensorFlow-Serving-compatible model server (REST + gRPC, KServe v2) with dynamic
/// batching over the same DetectorSession/DetectionPipeline as <c>detect</c>. Runs until SIGTERM or Ctrl+C,
/// then finishes the model runs in progress, answers queued requests 503 and exits 0.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string[]>("--model") { Description = "Catalog name or .onnx path; repeat to serve several models", DefaultValueFactory = _ => [ModelCatalog.DefaultModel], AllowMultipleArgumentsPerToken = false };
        var name = new Option<string[]>("--name") { Description = "Name each model is served under, in --model order (default: its catalog or file name); --name rfcn makes the recipe's URL work" };
        var host = new Option<string>("--host") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var restPort = new Option<int>("--rest-port") { Description = "REST port (TF Serving API, KServe v2, /metrics)", DefaultValueFactory = _ => 8501 };
        var grpcPort = new Option<int>("--grpc-port") { Description = "gRPC port (TF Serving PredictionService, ModelService); -1 turns gRPC off", DefaultValueFactory = _ => 8500 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Images per model run (dynamic batching); 1 = off", DefaultValueFactory = _ => 1 };
        var timeout = new Option<int>("--batch-timeout-us") { Description = "How long a batch waits for more images, microseconds", DefaultValueFactory = _ => 2000 };
        var maxQueue = new Option<int>("--max-queue") { Description = "Images waiting at most per model; a request that does not fit gets 503 at once", DefaultValueFactory = _ => 1024 };
        var streams = new Option<int>("--streams") { Description = "Batches in flight per model (streams on one session)", DefaultValueFactory = _ => 1 };
        var maxBody = new Option<int>("--max-body-mb") { Description = "Request body limit, MiB", DefaultValueFactory = _ => 256 };
        var maxPixels = new Option<long>("--max-pixels") { Description = "Pixels one image may have", DefaultValueFactory = _ => 40_000_000 };
        var common = new DetectorCliOptions();
        var command = new Command("serve", "Serve models over TF Serving's REST and gRPC APIs and KServe v2, with dynamic batching")
        {
            model, name, host, restPort, grpcPort, maxBatch, timeout, maxQueue, streams, maxBody, maxPixels,
        };
        foreach (var option in new Option[] { common.Family, common.Intra, common.Inter, common.Parallel, common.NoSpin, common.Spin, common.ScoreThreshold, common.IouThreshold, common.MaxDets })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancel) =>
        {
            var options = new ServingOptions
            {
                Host = parse.GetValue(host)!,
                RestPort = parse.GetValue(restPort),
                GrpcPort = parse.GetValue(grpcPort),
                MaxBatch = parse.GetValue(maxBatch),
                BatchTimeoutMicros = parse.GetValue(timeout),
                MaxQueue = parse.GetValue(maxQueue),
                Streams = parse.GetValue(streams),
                MaxBodyBytes = (long)parse.GetValue(maxBody) << 20,
                MaxPixelsPerImage = parse.GetValue(maxPixels),
            };
            options.Validate();
            var models = parse.GetValue(model)!;
            var names = parse.GetValue(name) ?? [];
            if (names.Length > models.Length)
            {
                throw new RfcnPerfException($"--name given {names.Length} times but --model only {models.Length} times");
            }

            var settings = common.GetSettings(parse);
            var metrics = new ServingMetrics();
            var store = AssetStore.FromEnvironment();
            var served = new List<ServedModel>();
            try
            {
                for (var i = 0; i < models.Length; i++)
                {
                    var located = ModelLocator.Locate(models[i], store, msg => Console.Error.WriteLine(msg));
                    var served1 = i < names.Length ? names[i] : located.DisplayName;
                    if (served.Any(m => m.Name == served1))
                    {
                        throw new RfcnPerfException($"two models would be served as '{served1}'; give each a --name");
                    }

                    var family = common.GetFamily(parse);
                    var m = ServedModel.Open(served1, located.Path, settings, options, metrics, family, PostprocessFor(parse, common, located.Path, settings, family));
                    served.Add(m);
                    Console.WriteLine($"model {served1}: {located.DisplayName} ({m.Family.ToName()}), batch up to {m.MaxBatch}, {options.Streams} stream(s), {settings.Describe()}");
                }
            }
            catch
            {
                foreach (var m in served)
                {
                    await m.DisposeAsync();
                }

                throw;
            }

            await using var server = await ModelServer.StartAsync(options, served, metrics);
            var first = served[0].Name;
            Console.WriteLine($"REST  http://{options.Host}:{server.RestPort}/v1/models/{first}  (:predict, /metadata; KServe v2 at /v2/models/{first}; /metrics)");
            if (server.GrpcPort >= 0)
            {
                Console.WriteLine($"gRPC  {options.Host}:{server.GrpcPort}  tensorflow.serving.PredictionService/Predict, ModelService/GetModelStatus");
            }

            Console.WriteLine($"batching: max {options.MaxBatch} images, timeout {options.BatchTimeoutMicros} us, queue {options.MaxQueue} images; body limit {options.MaxBodyBytes >> 20} MiB. Ctrl+C or SIGTERM stops (runs in progress finish, queued requests get 503).");
            await using var stopOnSignal = cancel.Register(() => _ = server.StopAsync());
            await server.WaitForShutdownAsync();
            Console.WriteLine("stopped: model runs in progress finished, queued requests answered 503");
            return 0;
        });
        return command;
    }

    private static Core.PostProcessing.PostprocessOptions? PostprocessFor(ParseResult parse, DetectorCliOptions common, string path, Core.Inference.SessionSettings settings, ModelFamily? family)
    {
        if (parse.GetValue(common.ScoreThreshold) is null && parse.GetValue(common.IouThreshold) is null && parse.GetValue(common.MaxDets) is null)
        {
            return null;
        }

        using var probe = Core.Inference.DetectorSession.Open(path, settings, 1, family);
        return common.GetPostprocess(parse, probe.Default.Head.DefaultPostprocess);
    }
}
