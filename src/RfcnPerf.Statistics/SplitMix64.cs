namespace RfcnPerf.Statistics;

/// <summary>
/// A small seeded generator (Steele, Lea and Flood's SplitMix64) whose sequence is fixed by its definition, so
/// a logged seed reproduces a bootstrap or a round order on any .NET version (System.Random's seeded sequence is
/// not promised across versions).
/// </summary>
public sealed class SplitMix64
{
    private ulong state;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => state = seed;

    /// <summary>A seed from the clock and a fresh GUID, for callers that log it.</summary>
    public static ulong NewSeed() => (ulong)DateTime.UtcNow.Ticks ^ BitConverter.ToUInt64(Guid.NewGuid().ToByteArray(), 0);

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Uniform integer in [0, <paramref name="bound"/>) by Lemire's multiply-shift (the bias, at most bound / 2^64,
    /// is far below anything a bootstrap over a few thousand rounds can see).
    /// </summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        return (int)(((UInt128)Next() * (ulong)bound) >> 64);
    }

    /// <summary>Uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
