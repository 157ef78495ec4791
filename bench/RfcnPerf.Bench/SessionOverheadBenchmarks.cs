using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;

namespace RfcnPerf.Bench;

/// <summary>
/// What RfcnPerf's <see cref="DetectorStream.Run"/> costs over a bare <c>InferenceSession.Run</c> loop with the
/// same session options, pinned input and pre-allocated outputs (the baseline): the ratio should be 1.00
/// within noise. Both sessions live in one process and run on the same pre-processed real COCO image.
/// </summary>
[Config(typeof(LatencyConfig))]
public class SessionOverheadBenchmarks
{
    private DetectorSession? detector;
    private InferenceSession? bare;
    private OrtValue[] bareInputs = [];
    private OrtValue[] bareOutputs = [];
    private string[] inputNames = [];
    private string[] outputNames = [];
    private RunOptions? runOptions;

    /// <summary>Catalog model.</summary>
    [Params("yolov8n", "nanodet-plus-m-1.5x-416")]
    public string Model { get; set; } = "yolov8n";

    [GlobalSetup]
    public void Setup()
    {
        var path = BenchAssets.Model(Model);
        var settings = new SessionSettings();
        detector = DetectorSession.Open(path, settings);
        using (var image = ImageDecoder.Decode(BenchAssets.Images(1)[0]))
        using (var pre = new Preprocessor(detector.Default.Head.Preprocess))
        {
            pre.WriteNchw(image, detector.Default.InputSlot(0));
        }

        using var options = settings.ToSessionOptions();
        bare = new InferenceSession(path, options);
        inputNames = [.. bare.InputMetadata.Keys];
        outputNames = [.. bare.OutputMetadata.Keys];
        var spec = detector.Default.Head.Preprocess;
        var input = detector.Default.InputSlot(0).ToArray();
        bareInputs = [OrtValue.CreateTensorValueFromMemory(input, [1, 3, spec.InputHeight, spec.InputWidth])];
        bareOutputs = bare.OutputMetadata.Values
            .Select(m => OrtValue.CreateTensorValueFromMemory(new float[m.Dimensions.Aggregate(1, (a, d) => a * d)], m.Dimensions.Select(d => (long)d).ToArray()))
            .ToArray();
        runOptions = new RunOptions();
    }

    [Benchmark(Baseline = true, Description = "bare InferenceSession.Run")]
    public OrtValue[] BareRun()
    {
        bare!.Run(runOptions!, inputNames, bareInputs, outputNames, bareOutputs);
        return bareOutputs;
    }

    [Benchmark(Description = "DetectorStream.Run")]
    public ModelOutputs DetectorRun() => detector!.Default.Run();

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
