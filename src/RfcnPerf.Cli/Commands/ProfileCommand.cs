using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Machine;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Profiling;
using RfcnPerf.Reporting;

namespace RfcnPerf.Cli.Commands;

/// <summary>
/// <c>rfcnperf profile MODEL [--vs MODEL2] [--batch B] [--intra N] [--runs N] [--top N] [--json OUT] [--chart OUT.png]</c>:
/// per-operator and per-node time from ONNX Runtime's profiler, joined with FLOPs and the measured peaks.
/// </summary>
internal static class ProfileCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Catalog name (yolov8n, ...) or path to an .onnx file" };
        var vs = new Option<string?>("--vs") { Description = "Second model, profiled the same way and shown side by side per operator type (e.g. its INT8 version)" };
        var batch = new Option<int>("--batch") { Description = "Images per run", DefaultValueFactory = _ => 1 };
        var intra = new Option<int>("--intra") { Description = "Intra-op threads (0 = ONNX Runtime default)", DefaultValueFactory = _ => 0 };
        var runs = new Option<int>("--runs") { Description = "Profiled runs after one warm-up (and as many unprofiled runs, alternating in blocks of 5)", DefaultValueFactory = _ => 20 };
        var top = new Option<int>("--top") { Description = "Nodes listed", DefaultValueFactory = _ => 15 };
        var json = new Option<string?>("--json") { Description = "Write every figure (per op type and per node) as JSON to this file" };
        var chart = new Option<string?>("--chart") { Description = "Write a PNG of time by operator type" };
        var traces = new Option<string>("--trace-dir") { Description = "Folder for ONNX Runtime's raw trace JSON (Chrome trace format)", DefaultValueFactory = _ => Path.Combine("results", "profiles") };
        var family = new Option<string?>("--family") { Description = "yolov8 | nanodet-plus | tf-od-api (default: inferred from the model)" };
        var command = new Command("profile", "Where a model call's time goes: per operator type and per node, with FLOPs, GFLOP/s and % of the measured peak (ONNX Runtime profiler)")
        {
            model, vs, batch, intra, runs, top, json, chart, traces, family,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(batch) < 1 || parse.GetValue(runs) < 1 || parse.GetValue(intra) < 0 || parse.GetValue(top) < 0)
            {
                throw new RfcnPerfException($"--batch and --runs must be at least 1, --intra and --top 0 or more; got --batch {parse.GetValue(batch)} --runs {parse.GetValue(runs)} --intra {parse.GetValue(intra)} --top {parse.GetValue(top)}");
            }

            var store = AssetStore.FromEnvironment();
            var machine = MachineInfo.Current();
            var peaks = PeakInForce.Resolve(machine, log: Console.Error.WriteLine);
            var options = new ProfileOptions
            {
                Batch = parse.GetValue(batch),
                IntraOpThreads = parse.GetValue(intra),
                Runs = parse.GetValue(runs),
                Family = parse.GetValue(family) is { } f ? ModelFamilyNames.Parse(f) : null,
                TraceDir = parse.GetValue(traces)!,
            };
            var names = new[] { parse.GetValue(model)!, parse.GetValue(vs) }.OfType<string>().ToArray();
            var profiles = new List<OperatorProfile>();
            foreach (var name in names)
            {
                var located = ModelLocator.Locate(name, store, msg => Console.Error.WriteLine(msg));
                Console.Error.WriteLine($"profiling {located.DisplayName} ({options.Runs} runs + warm-up, and as many without the profiler)...");
                profiles.Add(OperatorProfiler.Run(located.Path, located.DisplayName, options, peaks, machine));
            }

            Console.WriteLine($"machine: {machine.Describe()}; load average {LoadSnapshot.Read()?.ToString() ?? "unknown"}");
            Console.WriteLine($"peaks for the cores in use: FP32 {Opt(profiles[0].PeakFp32Gflops, "F0")} GFLOP/s, INT8 {Opt(profiles[0].PeakInt8Gops, "F0")} GOP/s; {peaks.Source}");
            foreach (var p in profiles)
            {
                Print(p, parse.GetValue(top));
            }

            if (profiles.Count == 2)
            {
                PrintVs(profiles[0], profiles[1]);
            }

            if (parse.GetValue(json) is { } jsonPath)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
                File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { machine, peaks = new { peaks.Fp32Gflops, peaks.Int8Gops, peaks.TriadGBps, peaks.Source }, profiles }, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"wrote {Path.GetFullPath(jsonPath)}");
            }

            if (parse.GetValue(chart) is { } chartPath)
            {
                ProfileChart.Write(
                    chartPath,
                    profiles.Select(p => new ProfileChartSeries(p.Model, p.Batch, p.Settings, [.. p.ByOpType.Select(r => KeyValuePair.Create(r.OpType, r.MeanMs))], p.ModelCall.MeanMs, p.KernelSumMs)).ToList(),
                    OperatorProfile.Canonical);
                Console.WriteLine($"wrote {Path.GetFullPath(chartPath)}");
            }

            return 0;
        });
        return command;
    }

    private static void Print(OperatorProfile p, int top)
    {
        Console.WriteLine();
        Console.WriteLine($"== {p.Model}: batch {p.Batch}, {p.Settings}, {p.Runs} profiled runs; trace {p.TracePath}");
        Console.WriteLine(string.Create(Inv,
            $"model call without profiler: mean {p.ModelCall.MeanMs:F2} ms, p50 {p.ModelCall.P50Ms:F2}, p90 {p.ModelCall.P90Ms:F2} ({p.ModelCall.Count} runs)"));
        Console.WriteLine(string.Create(Inv,
            $"profiled run {p.ProfiledRunMs:F2} ms = kernels {p.KernelSumMs:F2} + outside kernels {p.OutsideKernelsMs:F2} ms ({Pct(p.OutsideKernelsMs / p.ProfiledRunMs)}); kernel sum / model call = {p.KernelSumOverModelCall:F2}"));
        Console.WriteLine(string.Create(Inv,
            $"FLOPs: {p.MatchedGigaOps:F2} of the model's {p.ModelGigaOps:F2} G ops per run joined to profiled nodes by name; whole call {p.ModelGigaOps / (p.ModelCall.MeanMs / 1000):F1} G ops/s"));
        Console.WriteLine();
        Console.WriteLine($"{"op type",-26}{"nodes",6}{"ms/run",9}{"share",8}{"G ops",9}{"G ops/s",9}{"% peak",8}{"op/byte",9}");
        foreach (var r in p.ByOpType)
        {
            Console.WriteLine(Line(r.OpType + (r.Integer ? " (int)" : string.Empty), r.Nodes.ToString(Inv), r));
        }

        Console.WriteLine();
        Console.WriteLine($"top {Math.Min(top, p.ByNode.Count)} of {p.ByNode.Count} nodes");
        Console.WriteLine($"{"node",-44}{"op type",-18}{"ms/run",9}{"share",8}{"G ops",9}{"G ops/s",9}{"% peak",8}{"op/byte",9}");
        foreach (var r in p.ByNode.Take(top))
        {
            var name = r.Name.Length > 43 ? "..." + r.Name[^40..] : r.Name;
            var type = r.OpType.Length > 17 ? r.OpType[..17] : r.OpType;
            Console.WriteLine($"{name,-44}{type,-18}" + Line(string.Empty, null, r)[26..][6..]);
        }
    }

    private static string Line(string name, string? nodes, ProfileRow r) => string.Create(Inv,
        $"{(name.Length > 25 ? name[..25] : name),-26}{nodes ?? string.Empty,6}{r.MeanMs,9:F3}{Pct(r.Share),8}{Opt(r.GigaOps, "F3"),9}{Opt(r.GigaOpsPerSecond, "F1"),9}{Opt(r.PercentOfPeak, "F1"),8}{Opt(r.Intensity, "F1"),9}");

    private static void PrintVs(OperatorProfile a, OperatorProfile b)
    {
        Console.WriteLine();
        Console.WriteLine($"== {a.Model} (A) vs {b.Model} (B) per operator, whatever its precision or fusion (ms per run; negative change = B faster)");
        Console.WriteLine($"{"operator",-20}{"A ms",10}{"B ms",10}{"change",10}  {"A kernels",-28}B kernels");
        string Kinds(OperatorProfile p, string op) => string.Join(", ", p.ByOpType.Where(r => OperatorProfile.Canonical(r.OpType) == op).Select(r => string.Create(Inv, $"{r.OpType} x{r.Nodes}")));
        var ops = a.ByOpType.Concat(b.ByOpType).Select(r => OperatorProfile.Canonical(r.OpType)).Distinct().ToList();
        var rows = ops
            .Select(op => (Type: op,
                A: a.ByOpType.Where(r => OperatorProfile.Canonical(r.OpType) == op).Sum(r => r.MeanMs),
                B: b.ByOpType.Where(r => OperatorProfile.Canonical(r.OpType) == op).Sum(r => r.MeanMs)))
            .OrderByDescending(r => Math.Max(r.A, r.B))
            .ToList();
        foreach (var (type, ma, mb) in rows)
        {
            var ka = Kinds(a, type);
            Console.WriteLine(string.Create(Inv, $"{(type.Length > 19 ? type[..19] : type),-20}{ma,10:F3}{mb,10:F3}{mb - ma,10:+0.000;-0.000;0}  {(ka.Length > 27 ? ka[..27] : ka),-28}{Kinds(b, type)}"));
        }

        Console.WriteLine(string.Create(Inv, $"{"all kernels",-20}{a.KernelSumMs,10:F3}{b.KernelSumMs,10:F3}{b.KernelSumMs - a.KernelSumMs,10:+0.000;-0.000;0}"));
        Console.WriteLine(string.Create(Inv, $"{"model call",-20}{a.ModelCall.MeanMs,10:F3}{b.ModelCall.MeanMs,10:F3}{b.ModelCall.MeanMs - a.ModelCall.MeanMs,10:+0.000;-0.000;0}  (without the profiler)"));

        // The explanation, from the rows: integer kernels, the quantize/dequantize boundary, and float work left.
        var intB = b.ByOpType.Where(r => r.Integer).Sum(r => r.MeanMs);
        var qdq = b.ByOpType.Where(r => r.OpType is "QuantizeLinear" or "DequantizeLinear" or "DynamicQuantizeLinear").Sum(r => r.MeanMs);
        var floatLeft = b.ByOpType.Where(r => !r.Integer && r.OpType is not ("QuantizeLinear" or "DequantizeLinear" or "DynamicQuantizeLinear")).ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv,
            $"{b.Model}: model call {b.ModelCall.MeanMs / a.ModelCall.MeanMs:F2}x {a.Model}'s; integer kernels {intB:F2} ms ({Pct(intB / b.KernelSumMs)} of its kernel time), " +
            $"quantize/dequantize {qdq:F2} ms ({Pct(qdq / b.KernelSumMs)}), float kernels left {floatLeft.Sum(r => r.MeanMs):F2} ms ({string.Join(", ", floatLeft.Take(5).Select(r => string.Create(Inv, $"{r.OpType} {r.MeanMs:F2}")))})"));
        var convA = a.ByOpType.Where(r => OperatorProfile.Canonical(r.OpType) == "Conv").ToList();
        var convB = b.ByOpType.Where(r => OperatorProfile.Canonical(r.OpType) == "Conv").ToList();
        if (convA.Count > 0 && convB.Count > 0)
        {
            double Rate(List<ProfileRow> rs) => rs.Sum(r => r.GigaOps ?? 0) / (rs.Where(r => r.GigaOps is not null).Sum(r => r.MeanMs) / 1000);
            Console.WriteLine(string.Create(Inv,
                $"convolutions: A {convA.Sum(r => r.MeanMs):F2} ms at {Rate(convA):F1} G ops/s, B {convB.Sum(r => r.MeanMs):F2} ms at {Rate(convB):F1} G ops/s ({convA.Sum(r => r.MeanMs) / convB.Sum(r => r.MeanMs):F2}x speed-up of B's convolutions)"));
        }

        var gains = rows.Where(r => r.B < r.A).OrderBy(r => r.B - r.A).Take(3).ToList();
        var losses = rows.Where(r => r.B > r.A).OrderByDescending(r => r.B - r.A).Take(3).ToList();
        Console.WriteLine("largest gains: " + (gains.Count == 0 ? "none" : string.Join(", ", gains.Select(r => string.Create(Inv, $"{r.Type} {r.B - r.A:+0.00;-0.00} ms")))));
        Console.WriteLine("largest losses: " + (losses.Count == 0 ? "none" : string.Join(", ", losses.Select(r => string.Create(Inv, $"{r.Type} {r.B - r.A:+0.00;-0.00} ms")))));
    }

    private static string Pct(double fraction) => Md.Percent(fraction);

    private static string Opt(double? value, string format) => value is { } v ? Md.F(v, int.Parse(format[1..], Inv)) : Md.Unknown;
}
