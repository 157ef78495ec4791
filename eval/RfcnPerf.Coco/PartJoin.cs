namespace RfcnPerf.Coco;

/// <summary>
/// Joins the columns that consecutive parts of one parallel reading filled into arrays of exactly their total length:
/// each element is copied once, and each part's share by a thread of its own. (Appending the later parts to the first
/// and then trimming copied half the data twice, on one thread: for a 50 MB results file that was tens of
/// milliseconds of page faults on fresh memory.)
/// </summary>
internal static class PartJoin
{
    /// <summary>Where each part's elements start in the joined columns; the last entry is the total.</summary>
    public static int[] Offsets<TPart>(IReadOnlyList<TPart> parts, Func<TPart, int> count)
    {
        var at = new int[parts.Count + 1];
        for (int p = 0; p < parts.Count; p++)
        {
            at[p + 1] = checked(at[p] + count(parts[p]));
        }

        return at;
    }

    /// <summary>Runs <paramref name="copyPart"/> for every part, the parts on as many threads as there are parts.</summary>
    public static void Copy(int parts, Action<int> copyPart)
    {
        if (parts == 1)
        {
            copyPart(0);
            return;
        }

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, copyPart);
    }
}
