using RfcnPerf.Testing.Fuzzing;
using SharpFuzz;

namespace RfcnPerf.Fuzz;

/// <summary>
/// <c>RfcnPerf.Fuzz TARGET</c>: the AFL++ harness (run by fuzz/run.sh on instrumented assemblies);
/// <c>RfcnPerf.Fuzz TARGET FILE|DIR...</c>: replays inputs (a crash reproduces with its stack trace);
/// <c>RfcnPerf.Fuzz seeds DIR</c>: writes the generated seeds (ONNX graphs, images, request bodies) to DIR/TARGET;
/// <c>RfcnPerf.Fuzz run-json SCORE.json RUN.json</c>: converts a score seed to a run.json seed with the real writer.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["seeds", var dir])
        {
            Console.WriteLine($"{Seeds.Write(Path.Combine(dir, "onnx"), OnnxSeeds.All(), ".onnx")} ONNX seeds written to {Path.Combine(dir, "onnx")}");
            Console.WriteLine($"{Seeds.Write(Path.Combine(dir, "image"), ImageSeeds.All())} image seeds written to {Path.Combine(dir, "image")}");
            foreach (var (name, seeds) in new[] { ("tfserving", ServingSeeds.TfServing()), ("kserve", ServingSeeds.KServe()), ("grpc-predict", ServingSeeds.GrpcPredict()) })
            {
                Console.WriteLine($"{Seeds.Write(Path.Combine(dir, name), seeds)} {name} seeds written to {Path.Combine(dir, name)}");
            }
            return 0;
        }

        if (args is ["run-json", var scoreJson, var runJson])
        {
            Seeds.WriteRunJson(scoreJson, runJson);
            return 0;
        }

        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: RfcnPerf.Fuzz {string.Join('|', FuzzTargets.All.Keys)} [FILE|DIR...] | seeds DIR");
            return 2;
        }

        try
        {
            if (args.Length > 1)
            {
                return Replay(target, args[1..]);
            }

            // Out of process: a stack overflow or a native crash in the reader ends the child, not the loop.
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                _ = target(buffer.ToArray());
            });
            return 0;
        }
        finally
        {
            FuzzTargets.Cleanup();
        }
    }

    private static int Replay(Func<byte[], string?> target, string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
        var parsed = 0;
        foreach (var file in files)
        {
            var refused = target(File.ReadAllBytes(file));
            Console.WriteLine(refused is null ? $"{file}: parsed" : $"{file}: refused: {refused}");
            parsed += refused is null ? 1 : 0;
        }

        Console.WriteLine($"{files.Count} inputs replayed: {parsed} parsed, {files.Count - parsed} refused with the reader's own exception, none escaped");
        return 0;
    }
}
