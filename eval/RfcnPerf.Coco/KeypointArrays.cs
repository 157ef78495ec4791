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

    public double[] Values { get; }

    public ReadOnlySpan<double> Of(int i) => Values.AsSpan(Start[i], Math.Max(Length[i], 0));

    /// <summary>Collects keypoint lists in file order.</summary>
    internal sealed class Builder
    {
        private readonly List<int> start = [];
        private readonly List<int> length = [];
        private readonly List<double> values = [];

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
        public ReadOnlySpan<double> Of(int i) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values).Slice(start[i], Math.Max(length[i], 0));

        /// <summary>Drops the entries from <paramref name="count"/> on.</summary>
        public void Truncate(int count)
        {
            if (start.Count > count)
            {
                values.RemoveRange(start[count], values.Count - start[count]);
                start.RemoveRange(count, start.Count - count);
                length.RemoveRange(count, length.Count - count);
            }
        }

        public KeypointArrays Build() => new([.. start], [.. length], [.. values]);
    }
}
