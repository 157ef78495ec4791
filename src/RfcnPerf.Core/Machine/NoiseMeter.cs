using System.Diagnostics;
using System.Globalization;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// Measures a stretch of time's machine noise (<see cref="NoiseReport"/>): /proc/stat's CPU counters at start
/// and stop, less this process's own CPU time (getrusage), so what remains busy is other processes'. Off Linux
/// the shares are NaN.
/// </summary>
public sealed class NoiseMeter
{
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly CpuTicks? cpuStart = CpuTicks.Read();
    private readonly (double CpuSeconds, long InvoluntarySwitches)? selfStart = ProcessUsage.Read();
    private readonly LoadSnapshot? loadStart = LoadSnapshot.Read();

    /// <summary>Starts measuring now.</summary>
    public static NoiseMeter Start() => new();

    /// <summary>The noise from the start until now.</summary>
    public NoiseReport Stop()
    {
        var cpuEnd = CpuTicks.Read();
        var selfEnd = ProcessUsage.Read();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var ours = selfStart is { } s0 && selfEnd is { } s1 ? s1.CpuSeconds - s0.CpuSeconds : 0;
        var (steal, others) = cpuStart is { } a && cpuEnd is { } b ? Shares(a, b, ours) : (double.NaN, double.NaN);
        var switches = selfStart is { } x && selfEnd is { } y ? y.InvoluntarySwitches - x.InvoluntarySwitches : -1;
        return new NoiseReport(seconds, steal, others, Environment.ProcessorCount, loadStart, LoadSnapshot.Read(), switches);
    }

    /// <summary>
    /// Stolen and other processes' shares of all CPU time between two readings, given this process's CPU seconds
    /// meanwhile; NaN when no tick passed.
    /// </summary>
    internal static (double Steal, double Others) Shares(CpuTicks a, CpuTicks b, double ourCpuSeconds)
    {
        if (b.Total <= a.Total)
        {
            return (double.NaN, double.NaN);
        }

        var total = (double)(b.Total - a.Total);

        // Ticks and getrusage round differently; a share below zero is rounding, not negative load.
        var others = Math.Max(0, (b.Busy - a.Busy - (ourCpuSeconds * CpuTicks.TicksPerSecond)) / total);
        return ((b.Steal - a.Steal) / total, others);
    }

    /// <summary>The aggregate "cpu" line of /proc/stat, in USER_HZ ticks.</summary>
    internal readonly record struct CpuTicks(long Busy, long Steal, long Total)
    {
        // USER_HZ: 100 on every Linux architecture .NET runs on (the kernel ABI fixes it for /proc).
        public const double TicksPerSecond = 100;

        public static CpuTicks? Read()
        {
            try
            {
                if (!File.Exists("/proc/stat"))
                {
                    return null;
                }

                var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
                return line is null ? null : Parse(line);
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>Parses the aggregate line, e.g. <c>cpu  4705 356 584 3699176 23060 0 277 12 0 0</c>; null when short or malformed.</summary>
        public static CpuTicks? Parse(string line)
        {
            // user nice system idle iowait irq softirq steal (guest and guest_nice are already inside user/nice).
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).ToArray();
            var f = new long[fields.Length];
            for (var i = 0; i < f.Length; i++)
            {
                if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out f[i]))
                {
                    return null;
                }
            }

            if (f.Length < 8)
            {
                return null;
            }

            var busy = f[0] + f[1] + f[2] + f[5] + f[6];
            return new CpuTicks(busy, f[7], busy + f[3] + f[4] + f[7]);
        }
    }
}
