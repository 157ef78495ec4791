using System.Globalization;
using System.Runtime.InteropServices;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// LargeArray's advice must change how pages are backed, never what they hold; and on Linux it must reach the kernel
/// (a broken binding would fail silently, since the calls' results are ignored on purpose): /proc/self/smaps shows
/// the huge-page flag ("hg") and the pages made present.
/// </summary>
public sealed class LargeArrayTests
{
    private const int Bytes = 16 << 20;

    [Fact]
    public void Advice_keeps_contents()
    {
        var zeros = LargeArray.Zeroed<long>(Bytes / 8);
        Assert.All(zeros, v => Assert.Equal(0L, v));

        var written = LargeArray.Uninitialized<int>(Bytes / 4);
        for (int i = 0; i < written.Length; i++)
        {
            written[i] = i * 7;
        }

        var reserved = LargeArray.Reserve<double>(Bytes / 8);
        reserved[^1] = 1.5;
        Assert.Equal(1.5, reserved[^1]);
        for (int i = 0; i < written.Length; i++)
        {
            Assert.Equal(i * 7, written[i]);
        }
    }

    [SkippableFact]
    public void On_linux_a_large_array_is_marked_for_huge_pages_and_made_present()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "madvise is Linux's");
        Skip.If(Environment.GetEnvironmentVariable("RFCNPERF_HUGE_PAGES") == "0", "RFCNPERF_HUGE_PAGES=0 turns the advice off");
        Skip.If(Environment.OSVersion.Version < new Version(5, 14), "MADV_POPULATE_WRITE needs Linux 5.14");

        var array = LargeArray.Uninitialized<byte>(Bytes);
        var pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            // The middle of a 16 MiB array lies inside its 2 MiB-aligned interior, whatever the array's address.
            long middle = pin.AddrOfPinnedObject() + (Bytes / 2);
            var (flags, rssKb, sizeKb) = Mapping(middle);
            Assert.Contains("hg", flags.Split(' '));

            // Not one byte written yet: what is resident was made present by the advice (huge pages count in full).
            Assert.True(rssKb == sizeKb, $"the advised range holds {rssKb} KiB of {sizeKb} KiB before any write");
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>The VmFlags, Rss and Size (KiB) of the mapping that contains <paramref name="address"/>.</summary>
    private static (string Flags, long RssKb, long SizeKb) Mapping(long address)
    {
        bool inside = false;
        long rss = -1, size = -1;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long from)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long to))
            {
                inside = from <= address && address < to;
                continue;
            }

            if (!inside)
            {
                continue;
            }

            if (line.StartsWith("Size:", StringComparison.Ordinal))
            {
                size = Kb(line);
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                rss = Kb(line);
            }
            else if (line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return (line["VmFlags:".Length..].Trim(), rss, size);
            }
        }

        throw new InvalidOperationException($"no mapping holds 0x{address:x} in /proc/self/smaps");
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
