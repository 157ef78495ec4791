using System.Diagnostics;

namespace RfcnPerf.Core.Comparison;

/// <summary>
/// Waits, before a block is timed, until no other thread of this process is runnable. After a Run, ONNX Runtime's
/// intra-op workers spin for up to 2^20 pause loops waiting for more work (when spinning is allowed), tens of
/// milliseconds on these cores and longer on a loaded machine: timed at once, the next side would share the cores
/// with them. The wait is measured, not guessed: every thread's state in /proc/self/task/*/stat is read each
/// <see cref="Step"/>; a spinning thread is runnable ('R') even while another process holds its core, so CPU-time
/// growth alone would miss it on a busy machine.
/// </summary>
internal static class ThreadSettler
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);

    // Without /proc (not Linux) the wait is fixed: long enough for ORT's spin loop on current x86 cores.
    private static readonly TimeSpan Fallback = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns true when no other thread was runnable within <paramref name="cap"/>, false when the cap was hit.</summary>
    public static bool Settle(TimeSpan cap)
    {
        if (!Directory.Exists("/proc/thread-self"))
        {
            Thread.Sleep(cap < Fallback ? cap : Fallback);
            return true;
        }

        var self = CurrentThreadId();
        var start = Stopwatch.GetTimestamp();
        while (OthersRunnable(self) > 0)
        {
            if (Stopwatch.GetElapsedTime(start) >= cap)
            {
                return false;
            }

            Thread.Sleep(Step);
        }

        return true;
    }

    /// <summary>Threads of this process other than <paramref name="self"/> in state R (running or runnable).</summary>
    internal static int OthersRunnable(string? self)
    {
        var count = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (Path.GetFileName(task) == self)
            {
                continue;
            }

            try
            {
                // "tid (comm) S ...": the comm may hold spaces and parentheses, the state follows the last ')'.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var close = stat.LastIndexOf(')');
                if (close >= 0 && close + 2 < stat.Length && stat[close + 2] == 'R')
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The thread exited between the listing and the read.
            }
        }

        return count;
    }

    // /proc/thread-self links to /proc/<pid>/task/<tid> of the reading thread.
    private static string? CurrentThreadId() =>
        new DirectoryInfo("/proc/thread-self").LinkTarget is { } target ? Path.GetFileName(target.TrimEnd('/')) : null;
}
