namespace RfcnPerf.Coco;

/// <summary>
/// The <c>keypoints</c> lists of a ground truth or a results list, one entry per annotation (file order), flat:
/// entry i is x, y, v triples at <see cref="Start"/>[i] .. + <see cref="Length"/>[i] in the values column of the part
/// of the reading it came from (a file read in parallel keeps each part's column as it was read: the numbers, most of
/// the data, are never copied); <see cref="Length"/>[i] is -1 when the annotation has no keypoints field.
/// </summary>
internal sealed class KeypointArrays
{
    private readonly double[][] values;

    /// <summary>Entries of part p are those below partEnd[p] (and from partEnd[p - 1] on).</summary>
    private readonly int[] partEnd;

    /// <param name="start">Each entry's first number in its part's column.</param>
    /// <param name="length">Each entry's count of numbers (-1: no keypoints field).</param>
    /// <param name="values">Each part's column of numbers (may be longer than what it holds).</param>
    /// <param name="partEnd">The index after each part's last entry, ascending; the last is the entry count.</param>
    public KeypointArrays(int[] start, int[] length, double[][] values, int[] partEnd)
    {
        Start = start;
        Length = length;
        this.values = values;
        this.partEnd = partEnd;
    }

    public int[] Start { get; }

    public int[] Length { get; }

    public ReadOnlySpan<double> Of(int i)
    {
        int p = 0;
        while (i >= partEnd[p])
        {
            p++;
        }

        return values[p].AsSpan(Start[i], Math.Max(Length[i], 0));
    }

    /// <summary>Collects keypoint lists in file order.</summary>
    internal sealed class Builder
    {
        private readonly GrowableArray<int> start;
        private readonly GrowableArray<int> length;

        /// <param name="numbers">Room to make for keypoint numbers at once (a guess; a person has 51).</param>
        public Builder(long numbers = 0)
        {
            Values = new(numbers);
            start = new(numbers / 51);
            length = new(numbers / 51);
        }

        public int Count => start.Count;

        /// <summary>The numbers column: a reader appends an entry's numbers here, then calls <see cref="AddAppended"/>.</summary>
        public GrowableArray<double> Values { get; }

        public void AddMissing()
        {
            start.Add(Values.Count);
            length.Add(-1);
        }

        /// <summary>Makes the numbers appended to <see cref="Values"/> since <paramref name="from"/> the next entry.</summary>
        public void AddAppended(int from)
        {
            start.Add(from);
            length.Add(Values.Count - from);
        }

        public int LengthOf(int i) => length[i];

        /// <summary>Entry <paramref name="i"/> (valid until the next addition).</summary>
        public ReadOnlySpan<double> Of(int i) => Values.AsSpan().Slice(start[i], Math.Max(length[i], 0));

        /// <summary>Drops the entries from <paramref name="count"/> on.</summary>
        public void Truncate(int count)
        {
            if (start.Count > count)
            {
                Values.Truncate(start[count]);
                start.Truncate(count);
                length.Truncate(count);
            }
        }

        /// <summary>
        /// The entries of <paramref name="parts"/> (consecutive parts of one reading), in order, as one set: the
        /// per-entry columns joined (<see cref="PartJoin"/>), the numbers columns handed over as they are. The
        /// builders are done.
        /// </summary>
        public static KeypointArrays Build(IReadOnlyList<Builder> parts)
        {
            int[] at = PartJoin.Offsets(parts, p => p.Count);
            var starts = LargeArray.Uninitialized<int>(at[^1]);
            var lengths = LargeArray.Uninitialized<int>(at[^1]);
            PartJoin.Copy(parts.Count, p =>
            {
                parts[p].start.CopyTo(starts, at[p]);
                parts[p].length.CopyTo(lengths, at[p]);
            });
            return new(starts, lengths, [.. parts.Select(p => p.Values.DetachBuffer())], at[1..]);
        }
    }
}
