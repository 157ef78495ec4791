using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench;

/// <summary>
/// A bare <c>InferenceSession.Run</c> loop on the same model, options and pre-processed input as a
/// <see cref="SweepSession"/>, with pinned input and pre-allocated outputs: the baseline RfcnPerf's own session is
/// measured against. One owner disposes the native objects in reverse order of creation.
/// </summary>
internal sealed class BareSession : IDisposable
{
    private readonly InferenceSession session;
    private readonly OrtValue[] inputs;
    private readonly OrtValue[] outputs;
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly RunOptions runOptions;

    /// <summary>Opens a bare session beside <paramref name="detector"/> (batch 1, its input copied).</summary>
    public BareSession(SweepSession detector, SweepPoint point)
    {
        using var options = point.ToSettings().ToSessionOptions();
        session = new InferenceSession(detector.Session.ModelPath, options);
        inputNames = [.. session.InputMetadata.Keys];
        outputNames = [.. session.OutputMetadata.Keys];
        var spec = detector.Session.Default.Head.Preprocess;
        var input = detector.Session.Default.InputSlot(0).ToArray();
        inputs = [OrtValue.CreateTensorValueFromMemory(input, [1, 3, spec.InputHeight, spec.InputWidth])];
        outputs = [.. session.OutputMetadata.Values
            .Select(m => OrtValue.CreateTensorValueFromMemory(new float[m.Dimensions.Aggregate(1, (a, d) => a * d)], m.Dimensions.Select(d => (long)d).ToArray()))];
        runOptions = new RunOptions();
    }

    /// <summary>One request; returns the pre-allocated outputs.</summary>
    public OrtValue[] Run()
    {
        session.Run(runOptions, inputNames, inputs, outputNames, outputs);
        return outputs;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        runOptions.Dispose();
        foreach (var v in outputs.Concat(inputs).Reverse())
        {
            v.Dispose();
        }

        session.Dispose();
    }
}
