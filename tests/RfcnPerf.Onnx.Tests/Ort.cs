using Microsoft.ML.OnnxRuntime;

namespace RfcnPerf.Onnx.Tests;

/// <summary>Runs models with ONNX Runtime for the tests: float outputs copied out, every native object disposed.</summary>
internal static class Ort
{
    public static InferenceSession Session(string path)
    {
        using var options = Options();
        return new InferenceSession(path, options);
    }

    public static InferenceSession Session(byte[] model)
    {
        using var options = Options();
        return new InferenceSession(model, options);
    }

    /// <summary>Runs one input; returns each output (in session order) with its shape.</summary>
    public static Dictionary<string, (float[] Data, long[] Shape)> Run(InferenceSession session, string input, float[] data, long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        return Run(session, input, value);
    }

    public static Dictionary<string, (float[] Data, long[] Shape)> Run(InferenceSession session, string input, OrtValue value)
    {
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [input], [value], session.OutputNames);
        var result = new Dictionary<string, (float[], long[])>(StringComparer.Ordinal);
        for (var i = 0; i < outputs.Count; i++)
        {
            result[session.OutputNames[i]] = (outputs[i].GetTensorDataAsSpan<float>().ToArray(), outputs[i].GetTensorTypeAndShape().Shape);
        }

        return result;
    }

    /// <summary>A reproducible pseudo-image in [0, 1): enough to tell two computations apart.</summary>
    public static float[] DeterministicInput(int count, int seed)
    {
        var rng = new Random(seed);
        var data = new float[count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)rng.NextDouble();
        }

        return data;
    }

    private static SessionOptions Options()
    {
        // Two threads, no spinning: the test machine's two cores are shared with other work.
        var options = new SessionOptions { IntraOpNumThreads = 2, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
