using System.Globalization;
using System.Text.Json;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The evaluator as users run it: rfcnperf-eval, the native (ahead-of-time compiled) <c>eval score</c>, taken out of
/// the rfcnperf tool package in artifacts/packages (<c>dotnet pack src/RfcnPerf.Cli -c Release</c> builds it; CI packs
/// before its second test pass), on every golden case at one thread and at every core: the stats from its --json, and
/// the precision and recall arrays from its --arrays, bit for bit against pycocotools' where the case has them and
/// against this test build's in-process evaluator for every case.
/// </summary>
public sealed class ShippedEvaluatorTests
{
    private static readonly Lazy<string?> Executable = new(ExtractFromPackage);

    public static TheoryData<string> Cases() => new(GoldenCase.Names());

    public static TheoryData<string> SegmKpCases() => new(GoldenCase.SegmKpNames());

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Shipped_binary_gives_the_golden_bits_at_one_thread_and_at_every_core(string name)
    {
        Skip.If(Executable.Value is null, ToolPackage.Missing);
        Check(GoldenCase.Load(name));
    }

    [SkippableTheory]
    [MemberData(nameof(SegmKpCases))]
    public void Shipped_binary_gives_the_golden_segm_and_keypoints_bits(string name)
    {
        Skip.If(Executable.Value is null, ToolPackage.Missing);
        Check(GoldenCase.LoadSegmKp(name));
    }

    [SkippableTheory]
    [InlineData("segm_large_tiled5k")]
    [InlineData("kp_large_tiled5k")]
    public void Shipped_binary_gives_the_golden_bits_of_the_large_segm_and_keypoints_cases(string name)
    {
        Skip.If(Executable.Value is null, ToolPackage.Missing);
        Check(GoldenCase.LoadShared(name));
    }

    private static void Check(GoldenCase golden)
    {
        string name = golden.Name;
        var (inProcessSummary, inProcess) = golden.Run(threads: 1);
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            using var dir = new TempDir();
            string json = Path.Combine(dir.Path, "score.json");
            string arrays = Path.Combine(dir.Path, "arrays");
            var (code, output, error) = RunShipped(golden, threads, json, arrays);
            Assert.True(code == 0, $"{name}: exit {code}: {error}");
            Assert.Equal(string.Concat(inProcessSummary.StatLines.Select(l => l + "\n")), output);

            string what = $"{name} at {threads} thread(s)";
            using (var doc = JsonDocument.Parse(File.ReadAllBytes(json)))
            {
                BitAssert.Equal(golden.Stats, [.. doc.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble())], $"{what}: stats");
            }

            double[] precision = ReadF64(Path.Combine(arrays, "precision.f64"));
            double[] recall = ReadF64(Path.Combine(arrays, "recall.f64"));
            BitAssert.Equal(inProcess.Precision, precision, $"{what}: precision vs in-process");
            BitAssert.Equal(inProcess.Recall, recall, $"{what}: recall vs in-process");
            BitAssert.Equal(inProcess.Scores, ReadF64(Path.Combine(arrays, "scores.f64")), $"{what}: scores vs in-process");
            if (golden.HasArrays)
            {
                BitAssert.Equal(golden.ReadArray("precision.f64"), precision, $"{what}: precision vs pycocotools");
                BitAssert.Equal(golden.ReadArray("recall.f64"), recall, $"{what}: recall vs pycocotools");
            }
        }
    }

    private static (int Code, string Out, string Err) RunShipped(GoldenCase golden, int threads, string json, string arrays)
    {
        var p = golden.Params;
        var args = new List<string>
        {
            "eval", "score", "--annotations", golden.GroundTruthPath, "--results", golden.ResultsPath,
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--json", json, "--arrays", arrays,
        };
        if (!p.UseCats)
        {
            args.AddRange(["--use-cats", "false"]);
        }

        if (p.ImgIds is { } imgIds)
        {
            args.AddRange(["--img-ids", string.Join(",", imgIds.Select(v => v.ToString(CultureInfo.InvariantCulture)))]);
        }

        if (p.CatIds is { } catIds)
        {
            args.AddRange(["--cat-ids", string.Join(",", catIds.Select(v => v.ToString(CultureInfo.InvariantCulture)))]);
        }

        if (p.IouType != CocoIouType.Bbox)
        {
            args.AddRange(["--iou-type", CocoIouTypeNames.Name(p.IouType)]);
        }

        if (p.KeypointSigmas is { } sigmas && !sigmas.SequenceEqual(CocoEvalParams.DefaultKeypointSigmas))
        {
            // "R": the shortest text that parses back to the same double.
            args.AddRange(["--kpt-sigmas", string.Join(",", sigmas.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))]);
        }

        if (p.MaxDets is { } maxDets && !maxDets.SequenceEqual(p.IouType == CocoIouType.Keypoints ? CocoEvalParams.DefaultKeypointMaxDets : CocoEvalParams.DefaultMaxDets))
        {
            args.AddRange(["--max-dets", string.Join(",", maxDets.Select(v => v.ToString(CultureInfo.InvariantCulture)))]);
        }

        var info = new System.Diagnostics.ProcessStartInfo(Executable.Value!, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static double[] ReadF64(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * i));
        }

        return values;
    }

    /// <summary>The native evaluator of the newest tool package, extracted alone (nothing to hand other commands to) once per test run; null without a package holding one.</summary>
    private static string? ExtractFromPackage()
    {
        string dir = Directory.CreateTempSubdirectory("rfcnperf-shipped-eval-").FullName;
        return ToolPackage.ExtractTools(dir, relative => relative == ToolPackage.NativeEvalFile) ? Path.Combine(dir, ToolPackage.NativeEvalFile) : null;
    }
}
