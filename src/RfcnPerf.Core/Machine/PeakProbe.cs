using System.Diagnostics;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// Measures on this CPU: register kernels (<see cref="PeakKernels.Run"/>) as the best of many short repetitions on
/// one and on all threads, ONNX Runtime's GEMM (<see cref="OrtGemmPeak"/>), and the STREAM triad over arrays beyond
/// the last-level cache. On a shared machine a short window usually finds the cores free, a long one does not.
/// </summary>
/// <param name="repetitions">Rounds per figure; the best counts.</param>
/// <param name="triadElements">Triad array length in floats.</param>
/// <param name="gemmBudget">Minimum time spent on each ONNX Runtime GEMM figure (<see cref="OrtGemmPeak.Budget"/>; tests pass zero).</param>
internal sealed class PeakProbe(int repetitions, int triadElements, TimeSpan gemmBudget) : IPeakProbe
{
    private float[]? a, b, c;

    /// <inheritdoc />
    public double? Compute(PeakKernel kernel, int threads)
    {
        if (kernel.OnnxRuntime)
        {
            using var gemm = new OrtGemmPeak(kernel.Precision, threads);
            return Best(repetitions, threads, gemm.Run, gemmBudget) / 1e9;
        }

        var iterations = Calibrate(n => PeakKernels.Run(kernel.Id, n).Ops);
        return Best(repetitions, threads, _ => PeakKernels.Run(kernel.Id, iterations).Ops, TimeSpan.Zero) / 1e9;
    }

    /// <inheritdoc />
    public double? TriadGBps(int threads)
    {
        if (a is null || b is null || c is null)
        {
            a = GC.AllocateUninitializedArray<float>(triadElements);
            b = new float[triadElements];
            c = new float[triadElements];
            b.AsSpan().Fill(1);
            c.AsSpan().Fill(2);
            a.AsSpan().Fill(0);
        }

        return BestTriad(a, b, c, threads, 3);
    }

    /// <summary>
    /// Loop trips that take about 8 ms on one core: short enough that one of many repetitions finds the core
    /// free on a shared machine (a scheduler slice is 3-24 ms), long enough that timer and thread release costs
    /// (tens of microseconds) stay near 1%.
    /// </summary>
    private static long Calibrate(Func<long, double> kernel)
    {
        kernel(10_000); // JIT and warm the vector units up
        var n = 100_000L;
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            kernel(n);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (ms >= 5)
            {
                return Math.Max(1, (long)(n * 8 / ms));
            }

            n *= 4;
        }
    }

    /// <summary>
    /// Best rate (ops/s) of <paramref name="threads"/> threads each running <paramref name="run"/> once (given its
    /// thread index), over at least <paramref name="repetitions"/> rounds and <paramref name="budget"/>.
    /// </summary>
    private static double Best(int repetitions, int threads, Func<int, double> run, TimeSpan budget)
    {
        var best = 0.0;
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < repetitions || clock.Elapsed < budget; r++)
        {
            best = Math.Max(best, Timed(threads, run));
        }

        return best;
    }

    /// <summary>
    /// Best triad rate over <paramref name="passes"/> passes of the arrays, each pass timed slice by slice (a few
    /// milliseconds each, so that a slice usually runs undisturbed on a shared machine). A slice's data were last
    /// touched a whole pass earlier, hundreds of MiB ago, so they come from memory, not from cache.
    /// </summary>
    private static double BestTriad(float[] a, float[] b, float[] c, int threads, int passes)
    {
        const int slices = 32;
        var slice = a.Length / slices;
        var chunk = (slice + threads - 1) / threads;
        var best = 0.0;
        for (var r = 0; r < passes; r++)
        {
            for (var s = 0; s < slices; s++)
            {
                var origin = s * slice;
                best = Math.Max(best, Timed(threads, t =>
                {
                    var start = origin + (t * chunk);
                    var length = Math.Min(chunk, origin + slice - start);
                    return PeakKernels.Triad(a.AsSpan(start, length), b.AsSpan(start, length), c.AsSpan(start, length), 3f);
                }));
            }
        }

        return best / 1e9;
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads released together; returns total units / wall seconds.</summary>
    private static double Timed(int threads, Func<int, double> work)
    {
        if (threads == 1)
        {
            var start = Stopwatch.GetTimestamp();
            var units = work(0);
            return units / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        using var go = new ManualResetEventSlim(false);
        using var ready = new CountdownEvent(threads);
        var done = new double[threads];
        var ends = new long[threads];
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var index = t;
            workers[t] = new Thread(() =>
            {
                ready.Signal();
                go.Wait();
                done[index] = work(index);
                ends[index] = Stopwatch.GetTimestamp();
            })
            { IsBackground = true };
            workers[t].Start();
        }

        ready.Wait();
        var begin = Stopwatch.GetTimestamp();
        go.Set();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return done.Sum() / Stopwatch.GetElapsedTime(begin, ends.Max()).TotalSeconds;
    }
}
