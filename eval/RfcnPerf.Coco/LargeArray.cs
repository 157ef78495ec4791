using System.Runtime.InteropServices;

namespace RfcnPerf.Coco;

/// <summary>
/// Arrays of hundreds of kilobytes and more (columns of a results file, the [T,R,K,A,M] precision array, per-detection
/// flags, cell indices), allocated where they are about to be written. Fresh memory costs a page fault for every 4 KiB
/// page at its first write, several microseconds each on a virtual machine: for a val2017-sized bbox run that was
/// 13,000 faults and about a third of the whole process's CPU time, more than the evaluation itself. On Linux two
/// kinds of advice cut that, neither of which changes the contents:
/// <list type="bullet">
/// <item>an array that will be written whole (<see cref="Uninitialized{T}"/>, <see cref="Zeroed{T}"/>) has its pages
/// made present in one call (<c>madvise(MADV_POPULATE_WRITE)</c>, Linux 5.14) instead of one fault at a time;</item>
/// <item>an array of megabytes has its interior marked for transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>), so
/// the kernel backs it with 2 MiB pages where it can: one page instead of 512. Room that may never be written
/// (<see cref="Reserve{T}"/>, a column's first guess at its size) gets only this advice, so it still costs nothing
/// until it is used.</item>
/// </list>
/// The kernel ignores the huge-page advice where transparent huge pages are off and does not need it where they are
/// always on; an older kernel refuses the populate advice (ignored: the pages then fault in as before); on other
/// systems nothing is done. <c>RFCNPERF_HUGE_PAGES=0</c> turns all of it off (to measure what it saves).
/// </summary>
internal static partial class LargeArray
{
    /// <summary>
    /// Smallest array whose pages are populated in one call: below it an array is in the runtime's small-object heap,
    /// which zeroes (and so touches) its memory anyway, and the call would cost more than the few faults it saves.
    /// </summary>
    private const long PopulateMinBytes = 128L << 10;

    /// <summary>
    /// Smallest array given the huge-page advice: it must span at least one whole 2 MiB page after alignment, and a
    /// few more make the advice pay for the page-table work it saves.
    /// </summary>
    private const long HugePageMinBytes = 4L << 20;

    private const long HugePageBytes = 2L << 20;

    private const long PageBytes = 4L << 10;

    /// <summary>Linux's MADV_HUGEPAGE and MADV_POPULATE_WRITE (asm-generic/mman-common.h; the same on every architecture).</summary>
    private const int MadvHugePage = 14;

    private const int MadvPopulateWrite = 23;

    /// <summary>Off on other systems, with RFCNPERF_HUGE_PAGES=0, and for good once the C library cannot be bound.</summary>
    private static bool advise = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("RFCNPERF_HUGE_PAGES") != "0";

    /// <summary>An array whose every element the caller writes before reading it (not zeroed).</summary>
    public static T[] Uninitialized<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        AdviseFor(array, populate: true);
        return array;
    }

    /// <summary>
    /// An array of zeros, all of which will be read or written. The runtime zeroes only memory it used before: fresh
    /// memory from the system is zero already and stays untouched until the advice makes it present.
    /// </summary>
    public static T[] Zeroed<T>(int length)
        where T : unmanaged
    {
        var array = new T[length];
        AdviseFor(array, populate: true);
        return array;
    }

    /// <summary>Room for up to <paramref name="length"/> elements, of which only a part may ever be written (not zeroed).</summary>
    public static T[] Reserve<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        AdviseFor(array, populate: false);
        return array;
    }

    /// <summary>
    /// Called before the array is first written: pages already touched keep their 4 KiB backing. Arrays of 85,000
    /// bytes and more live on the large object heap, which the runtime does not move unless asked to; were one moved,
    /// the advice would stay with the address range and still change only how pages are backed. A failing call
    /// (an old kernel, a restricted sandbox) is ignored: it is advice.
    /// </summary>
    private static unsafe void AdviseFor<T>(T[] array, bool populate)
        where T : unmanaged
    {
        long bytes = (long)array.Length * sizeof(T);
        if (!advise || bytes < PopulateMinBytes)
        {
            return;
        }

        fixed (T* first = array)
        {
            long start = (long)first;
            long end = start + bytes;
            if (bytes >= HugePageMinBytes)
            {
                AdviseRange(start, end, HugePageBytes, MadvHugePage);
            }

            if (populate)
            {
                AdviseRange(start, end, PageBytes, MadvPopulateWrite);
            }
        }
    }

    /// <summary>madvise over the whole <paramref name="unit"/>-aligned units inside [start, end).</summary>
    private static void AdviseRange(long start, long end, long unit, int advice)
    {
        long from = (start + unit - 1) & ~(unit - 1);
        long to = end & ~(unit - 1);
        if (to > from)
        {
            try
            {
                _ = Madvise((nint)from, (nuint)(to - from), advice);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // A C library the runtime does not know as "libc" (a musl system under the JIT, say): no advice.
                advise = false;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
