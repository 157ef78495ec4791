namespace RfcnPerf.Coco;

/// <summary>
/// The <c>keypoints</c> lists of a ground truth or a results list, one entry per annotation (file order), flat:
/// entry i is <see cref="Values"/>[<see cref="Start"/>[i] .. + <see cref="Length"/>[i]) as x, y, v triples;
/// <see cref="Length"/>[i] is -1 when the annotation has no keypoints field.
/// </summary>
internal sealed class KeypointArrays
{
    public KeypointArrays(int[] start, int[] length, double[] values)
    {
        Start = start;
        Length = length;
        Values = values;
    }

    public int[] Start { get; }

    public int[] Length { get; }

    /// <summary>Every entry's numbers, read through <see cref="Of"/> (the array may be longer than what it holds).</summary>
    public double[] Values { get; }

    public ReadOnlySpan<double> Of(int i) => Values.AsSpan(Start[i], Math.Max(Length[i], 0));

    /// <summary>Collects keypoint lists in file order.</summary>
    internal sealed class Builder
    {
        private readonly GrowableArray<int> start = new();
        private readonly GrowableArray<int> length = new();
        private readonly GrowableArray<double> values;

        /// <param name="numbers">Room to make for keypoint numbers at once (a guess).</param>
        public Builder(long numbers = 0) => values = new(numbers);

        public int Count => start.Count;

        public void AddMissing()
        {
            start.Add(values.Count);
            length.Add(-1);
        }

        public void Add(ReadOnlySpan<double> xyv)
        {
            start.Add(values.Count);
            length.Add(xyv.Length);
            values.AddRange(xyv);
        }

        public int LengthOf(int i) => length[i];

        /// <summary>Entry <paramref name="i"/> (valid until the next addition).</summary>
        public ReadOnlySpan<double> Of(int i) => values.AsSpan().Slice(start[i], Math.Max(length[i], 0));

        /// <summary>Drops the entries from <paramref name="count"/> on.</summary>
        public void Truncate(int count)
        {
            if (start.Count > count)
            {
                values.Truncate(start[count]);
                start.Truncate(count);
                length.Truncate(count);
            }
        }

        /// <summary>The flat arrays (the values column is handed over, not copied; the builder is done).</summary>
        public KeypointArrays Build() => new(start.ToArray(), length.ToArray(), values.DetachBuffer());

        /// <summary>The entries of <paramref name="parts"/> (consecutive parts of one reading), in order, as one set.</summary>
        public static KeypointArrays Build(IReadOnlyList<Builder> parts)
        {
            for (int p = 1; p < parts.Count; p++)
            {
                parts[0].Append(parts[p]);
            }

            return parts[0].Build();
        }

        /// <summary>Adds the entries another builder read after these (starts shifted by this one's values).</summary>
        public void Append(Builder later)
        {
            int offset = values.Count;
            foreach (int s in later.start.AsSpan())
            {
                start.Add(s + offset);
            }

            length.AddRange(later.length.AsSpan());
            values.AddRange(later.values.AsSpan());
        }
    }
}
