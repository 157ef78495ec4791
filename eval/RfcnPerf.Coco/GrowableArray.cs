namespace RfcnPerf.Coco;

/// <summary>
/// The readers' columns while a file is read: a List&lt;T&gt; whose storage is never zeroed (each element is
/// written before it is read) and whose buffer can be handed over without a copy. List&lt;T&gt; zeroes every array
/// it grows into and [.. list] copies the whole column once more at the end: for the tens of megabytes of a
/// val2017-sized results file that was most of the reading time (page faults and copies, not parsing).
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
internal sealed class GrowableArray<T>
    where T : unmanaged
{
    private const int MinimumCapacity = 256;

    /// <summary>A size guess is not trusted beyond this many elements (growth takes over).</summary>
    private const int MaxCapacityHint = 1 << 26;

    private T[] items;
    private int count;

    /// <param name="capacity">Elements to make room for at once (a guess from the file's size saves the copies of
    /// growing; room that is never written is never touched, so an overestimate costs address space only).</param>
    public GrowableArray(long capacity = 0) =>
        items = capacity > 0 ? LargeArray.Reserve<T>((int)Math.Min(capacity, MaxCapacityHint)) : [];

    public int Count => count;

    public T this[int index]
    {
        get => AsSpan()[index];
        set => AsSpan()[index] = value;
    }

    public void Add(T item)
    {
        if (count == items.Length)
        {
            Grow(count + 1);
        }

        items[count++] = item;
    }

    public void AddRange(ReadOnlySpan<T> values)
    {
        if (items.Length - count < values.Length)
        {
            Grow(checked(count + values.Length));
        }

        values.CopyTo(items.AsSpan(count));
        count += values.Length;
    }

    /// <summary>The elements added so far (valid until the next addition).</summary>
    public Span<T> AsSpan() => items.AsSpan(0, count);

    /// <summary>Drops the elements from <paramref name="newCount"/> on.</summary>
    public void Truncate(int newCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)newCount, (uint)count, nameof(newCount));
        count = newCount;
    }

    /// <summary>An array of exactly <see cref="Count"/> elements (one copy).</summary>
    public T[] ToArray()
    {
        var array = LargeArray.Uninitialized<T>(count);
        AsSpan().CopyTo(array);
        return array;
    }

    /// <summary>
    /// The storage itself, without a copy, for columns read only through offsets and lengths: it may be longer
    /// than <see cref="Count"/> (the tail is not initialised). The builder must not be used afterwards.
    /// </summary>
    public T[] DetachBuffer() => items;

    /// <summary>
    /// Room for at least <paramref name="minimum"/> more elements after <see cref="Count"/> (grown if needed), to be
    /// written in place and then counted with <see cref="Advance"/>: a reader parses straight into the column.
    /// </summary>
    public Span<T> GetSpan(int minimum)
    {
        if (items.Length - count < minimum)
        {
            Grow(checked(count + minimum));
        }

        return items.AsSpan(count);
    }

    /// <summary>Counts <paramref name="written"/> elements written into the span of <see cref="GetSpan"/>.</summary>
    public void Advance(int written)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)written, (uint)(items.Length - count), nameof(written));
        count += written;
    }

    /// <summary>Copies the elements into <paramref name="destination"/> from index <paramref name="at"/> on.</summary>
    public void CopyTo(T[] destination, int at) => AsSpan().CopyTo(destination.AsSpan(at));

    private void Grow(int needed)
    {
        int capacity = Math.Max(needed, Math.Max(MinimumCapacity, (int)Math.Min(Array.MaxLength, 2L * items.Length)));
        var grown = LargeArray.Reserve<T>(capacity);
        AsSpan().CopyTo(grown);
        items = grown;
    }
}
