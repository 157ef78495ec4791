using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Bench.Configs;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Bench.Benchmarks;

/// <summary>
/// What RfcnPerf's <see cref="DetectorStream.Run"/> costs over a bare <c>InferenceSession.Run</c> loop with the
/// same session options, pinned input and pre-allocated outputs (the baseline): the ratio should be 1.00
/// within noise. Both sessions live in one process and run on the same pre-processed real COCO image.
/// </summary>
[Config(typeof(RealTimeConfig))]
[BenchmarkCategory(BenchCategories.Overhead)]
public class SessionOverheadBenchmarks : ISweepCase
{
    private SweepSession? detector;
    private InferenceSession? bare;
    private OrtValue[] bareInputs = [];
    private OrtValue[] bareOutputs = [];
    private string[] inputNames = [];
    private string[] outputNames = [];
    private RunOptions? runOptions;

    /// <summary>Model and precision.</summary>
    [ParamsSource(nameof(Variants))]
    public ModelVariant Variant { get; set; } = null!;

    /// <inheritdoc />
    public SweepPoint Point => SweepPoint.Default;

    public static IEnumerable<ModelVariant> Variants() => BenchContext.Current.Variants;

    [GlobalSetup]
    public void Setup() => BenchFailures.Guard($"{nameof(SessionOverheadBenchmarks)} [{Variant}]", () =>
    {
        detector = SweepSession.Open(nameof(SessionOverheadBenchmarks), Variant, Point);
        using var options = Point.ToSettings().ToSessionOptions();
        bare = new InferenceSession(detector.Session.ModelPath, options);
        inputNames = [.. bare.InputMetadata.Keys];
        outputNames = [.. bare.OutputMetadata.Keys];
        var spec = detector.Session.Default.Head.Preprocess;
        var input = detector.Session.Default.InputSlot(0).ToArray();
        bareInputs = [OrtValue.CreateTensorValueFromMemory(input, [1, 3, spec.InputHeight, spec.InputWidth])];
        bareOutputs = [.. bare.OutputMetadata.Values
            .Select(m => OrtValue.CreateTensorValueFromMemory(new float[m.Dimensions.Aggregate(1, (a, d) => a * d)], m.Dimensions.Select(d => (long)d).ToArray()))];
        runOptions = new RunOptions();
        return 0;
    });

    [Benchmark(Baseline = true, Description = "bare InferenceSession.Run")]
    public OrtValue[] BareRun()
    {
        bare!.Run(runOptions!, inputNames, bareInputs, outputNames, bareOutputs);
        return bareOutputs;
    }

    [Benchmark(Description = "DetectorStream.Run")]
    public ModelOutputs DetectorRun() => detector!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var v in bareOutputs.Concat(bareInputs))
        {
            v.Dispose();
        }

        runOptions?.Dispose();
        bare?.Dispose();
        detector?.Dispose();
    }
}
