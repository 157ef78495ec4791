using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench;

/// <summary>
/// Why benchmark cases failed, collected so the run can end with the reasons (BenchmarkDotNet itself only
/// marks a case as failed and leaves the exception in its log). Cases append to <c>failures.log</c> in the
/// run's results folder, which works from out-of-process benchmark processes too.
/// </summary>
internal static class BenchFailures
{
    /// <summary>The file name inside the results folder.</summary>
    public const string FileName = "failures.log";

    private const string RecordedKey = "RfcnPerf.Bench.Recorded";

    private static readonly Lock Gate = new();

    /// <summary>Runs <paramref name="action"/>; on an exception records <paramref name="what"/> and the reason, then rethrows.</summary>
    public static T Guard<T>(string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex)
        {
            // Guards nest (a setup guard around SweepSession.Open's): record each failure once, innermost first.
            if (!ex.Data.Contains(RecordedKey))
            {
                ex.Data[RecordedKey] = true;
                Record(what, ex);
            }

            throw;
        }
    }

    /// <summary>Appends one failure (one line) to the run's log; a no-op when no results folder was published.</summary>
    public static void Record(string what, Exception ex)
    {
        if (BenchContext.Current.OutputDir is not { } dir)
        {
            return;
        }

        var reason = ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : ex;
        var text = $"{what}\t{reason.GetType().Name}: {reason.Message.ReplaceLineEndings(" ")}";
        lock (Gate)
        {
            Directory.CreateDirectory(dir);
            File.AppendAllLines(Path.Combine(dir, FileName), [text]);
        }
    }

    /// <summary>The failures recorded in <paramref name="dir"/>, in order.</summary>
    public static IReadOnlyList<(string What, string Reason)> Read(string dir)
    {
        var path = Path.Combine(dir, FileName);
        return File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split('\t', 2)).Select(p => (p[0], p.Length > 1 ? p[1] : string.Empty))]
            : [];
    }
}
