using Microsoft.ML.OnnxRuntime;
using RfcnPerf.Core.Inference;
using RfcnPerf.Onnx;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// ONNX Runtime's own GEMM (<see cref="GemmProbe"/>) as a peak kernel: one single-threaded session per thread, each
/// with its own rows, inputs and pre-allocated outputs, so that <see cref="PeakProbe"/> times all threads together the
/// way it times a register kernel. Every core then runs MLAS's kernel back to back; ONNX Runtime's thread pool, whose
/// hand-offs a loaded machine delays, is left out of the ceiling (a model call pays it, and shows it as distance to
/// the ceiling).
/// </summary>
internal sealed class OrtGemmPeak : IDisposable
{
    /// <summary>
    /// Time spent looking for the best round once the repetitions are done: on a loaded machine the cores are free
    /// together only now and then.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private static readonly string[] InputNames = [GemmProbe.Input];
    private static readonly string[] OutputNames = [GemmProbe.Output];

    private readonly List<IDisposable> owned = [];
    private readonly (InferenceSession Session, OrtValue[] Inputs, OrtValue[] Outputs)[] runners;
    private readonly RunOptions runOptions = new();
    private readonly double opsPerRun;

    /// <summary>Builds the model once and one session per thread, then runs each a few times (packing, page-in).</summary>
    public OrtGemmPeak(PeakPrecision precision, int threads)
    {
        const int m = PeakKernels.GemmRowsPerThread, k = PeakKernels.GemmK, n = PeakKernels.GemmN;
        opsPerRun = GemmProbe.Operations(m, k, n);
        var model = precision == PeakPrecision.Int8 ? GemmProbe.UInt8Int8(m, k, n) : GemmProbe.Float(m, k, n);
        using var options = new SessionSettings { IntraOpThreads = 1, InterOpThreads = 1 }.ToSessionOptions();
        var random = new Random(2);
        runners = new (InferenceSession, OrtValue[], OrtValue[])[threads];
        for (var t = 0; t < threads; t++)
        {
            // Varied inputs (a zero matrix could take a shortcut somewhere); outputs written in place.
            var session = Own(new InferenceSession(model, options));
            var input = Own(precision == PeakPrecision.Int8
                ? OrtValue.CreateTensorValueFromMemory(Bytes(random, m * k), [m, k])
                : OrtValue.CreateTensorValueFromMemory(Floats(random, m * k), [m, k]));
            var output = Own(precision == PeakPrecision.Int8
                ? OrtValue.CreateTensorValueFromMemory(new int[m * n], [m, n])
                : OrtValue.CreateTensorValueFromMemory(new float[m * n], [m, n]));
            runners[t] = (session, [input], [output]);
            for (var i = 0; i < 3; i++)
            {
                Run(t);
            }
        }
    }

    /// <summary>One run of thread <paramref name="thread"/>'s session; returns its operations.</summary>
    public double Run(int thread)
    {
        var (session, inputs, outputs) = runners[thread];
        session.Run(runOptions, InputNames, inputs, OutputNames, outputs);
        return opsPerRun;
    }

    /// <summary>Disposes the values and sessions in reverse order of creation.</summary>
    public void Dispose()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            owned[i].Dispose();
        }

        runOptions.Dispose();
    }

    private T Own<T>(T value)
        where T : IDisposable
    {
        owned.Add(value);
        return value;
    }

    private static byte[] Bytes(Random random, int count)
    {
        var values = new byte[count];
        random.NextBytes(values);
        return values;
    }

    private static float[] Floats(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        return values;
    }
}
