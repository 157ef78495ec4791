using System.Diagnostics;
using RfcnPerf.Core.Comparison;

namespace RfcnPerf.Core.Tests;

/// <summary>
/// The settle reads the state of every thread of this process, so it runs alone: tests of other classes running in
/// parallel in the same process keep threads runnable, and under a loaded machine the wait then hit its cap.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ThreadSettlerTests
{
    [SkippableFact]
    public void Settling_waits_for_busy_threads_of_ours_to_stop()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads the threads' states in /proc/self/task");

        // A thread of ours spinning for 150 ms after the block, like ORT's idle workers: the settle must outlast it.
        using var spinning = new ManualResetEventSlim();
        var spinner = new Thread(() =>
        {
            spinning.Set();
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 150)
            {
                Thread.SpinWait(50);
            }
        });
        spinner.Start();
        spinning.Wait();
        var waited = Stopwatch.StartNew();
        var quiet = ThreadSettler.Settle(TimeSpan.FromSeconds(30));
        waited.Stop();
        spinner.Join();

        Assert.True(quiet);
        Assert.True(waited.ElapsedMilliseconds >= 100, $"settled after {waited.ElapsedMilliseconds} ms while a thread of ours spun for 150 ms");
    }
}

/// <summary>Tests that look at every thread of the test process run with no other test class beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "alone";
}
