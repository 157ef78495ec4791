using System.Runtime.InteropServices;

namespace RfcnPerf.Coco;

/// <summary>
/// Arrays of megabytes (columns of a results file, the [T,R,K,A,M] precision and scores arrays, per-detection flags)
/// that are written once, right after they are allocated. Fresh memory costs a page fault for every 4 KiB page at
/// its first write, several microseconds each on a virtual machine: for a val2017-sized bbox run that was 13,000 faults
/// and about a third of the whole process's CPU time, more than the evaluation itself. On Linux such an array's
/// interior is marked for transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>), so the kernel backs it with 2 MiB
/// pages where it can: one fault per 2 MiB instead of 512. The advice changes nothing of the contents, only how
/// the pages are backed; the kernel ignores it where transparent huge pages are off ("never") and does not need it
/// where they are on for everything ("always"); on other systems nothing is done.
/// </summary>
internal static partial class LargeArray
{
    /// <summary>
    /// Smallest array worth the system call: it must span at least one whole 2 MiB page after alignment, and a few
    /// more make the advice pay for the page-table work it saves.
    /// </summary>
    private const long MinBytes = 4L << 20;

    private const long HugePageBytes = 2L << 20;

    /// <summary>Linux's MADV_HUGEPAGE (asm-generic/mman-common.h; the same value on every architecture).</summary>
    private const int MadvHugePage = 14;

    private static readonly bool Advise = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("RFCNPERF_HUGE_PAGES") != "0";

    /// <summary>An array whose elements the caller writes before reading (not zeroed).</summary>
    public static T[] Uninitialized<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        AdviseHugePages(array);
        return array;
    }

    /// <summary>
    /// An array of zeros. The runtime zeroes only memory it used before: fresh memory from the system is zero already
    /// and stays untouched until written, so the advice still comes before the first write.
    /// </summary>
    public static T[] Zeroed<T>(int length)
        where T : unmanaged
    {
        var array = new T[length];
        AdviseHugePages(array);
        return array;
    }

    /// <summary>
    /// Marks the whole 2 MiB pages inside <paramref name="array"/> for transparent huge pages. Called before the array
    /// is first written: pages already touched keep their 4 KiB backing. Arrays of 85,000 bytes and more live on
    /// the large object heap, which the runtime does not move unless asked to; were it moved, the advice would stay
    /// with the address range and still change only how pages are backed. A failing call (an old kernel, a
    /// restricted sandbox) is ignored: it is advice.
    /// </summary>
    private static unsafe void AdviseHugePages<T>(T[] array)
        where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (!Advise || bytes < MinBytes)
        {
            return;
        }

        fixed (T* first = array)
        {
            long start = (long)first;
            long from = (start + HugePageBytes - 1) & ~(HugePageBytes - 1);
            long to = (start + bytes) & ~(HugePageBytes - 1);
            if (to > from)
            {
                _ = Madvise((nint)from, (nuint)(to - from), MadvHugePage);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
