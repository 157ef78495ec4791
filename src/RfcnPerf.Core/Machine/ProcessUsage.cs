using System.Runtime.InteropServices;

namespace RfcnPerf.Core.Machine;

/// <summary>
/// This process's CPU time and involuntary context switches, every thread included (dead ones too), from
/// getrusage(RUSAGE_SELF): microsecond CPU time, where /proc/self/stat counts 10 ms ticks. Null off Linux.
/// </summary>
internal static partial class ProcessUsage
{
    private const int RusageSelf = 0;

    /// <summary>CPU seconds (user + system) and involuntary context switches so far, or null where unavailable.</summary>
    public static (double CpuSeconds, long InvoluntarySwitches)? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return GetRusage(RusageSelf, out var u) == 0
                ? (u.UserSeconds + (u.UserMicroseconds / 1e6) + u.SystemSeconds + (u.SystemMicroseconds / 1e6), u.InvoluntarySwitches)
                : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    // struct rusage on 64-bit Linux: two struct timeval, then 14 longs; ru_nivcsw is the last.
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long Ixrss;
        public long Idrss;
        public long Isrss;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlocksIn;
        public long BlocksOut;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }
}
