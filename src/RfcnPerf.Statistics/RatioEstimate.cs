using System.Globalization;

namespace RfcnPerf.Statistics;

/// <summary>
/// A time ratio B/A (below 1: B takes less time) with its 95% interval and the verdict at <see cref="Threshold"/>.
/// </summary>
/// <param name="Ratio">Point estimate of B/A.</param>
/// <param name="Lower">Lower end of the 95% interval.</param>
/// <param name="Upper">Upper end of the 95% interval.</param>
/// <param name="Rounds">Paired rounds, or the smaller side's sample count for an unpaired comparison.</param>
/// <param name="Threshold">θ of the verdict (0.05 = 5%).</param>
/// <param name="Verdict">The verdict (<see cref="VerdictRule"/>).</param>
/// <param name="Method">How the ratio and interval were computed, in words (with the seed when there is one).</param>
public sealed record RatioEstimate(double Ratio, double Lower, double Upper, int Rounds, double Threshold, Verdict Verdict, string Method)
{
    /// <summary>Half the interval's width, in ratio units (the stopping rule compares it with θ/2).</summary>
    public double HalfWidth => (Upper - Lower) / 2;

    /// <summary>Whether the verdict is one of same / faster / slower.</summary>
    public bool IsDecided => Verdict != Verdict.Unknown;

    /// <summary>A / B: how many times faster B is (the inverse ratio, its interval swapped).</summary>
    public (double SpeedUp, double Lower, double Upper) AsSpeedUp() => (1 / Ratio, 1 / Upper, 1 / Lower);

    /// <summary>"0.873 [0.851, 0.897] faster" style text.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Ratio:F3} [{Lower:F3}, {Upper:F3}] {Verdict.Word()}");

    /// <summary>An estimate whose verdict is <see cref="VerdictRule.Decide"/>'s on these bounds, so the two cannot disagree.</summary>
    public static RatioEstimate Decided(double ratio, double lower, double upper, int rounds, double threshold, string method) =>
        new(ratio, lower, upper, rounds, threshold, VerdictRule.Decide(lower, upper, rounds, threshold), method);

    /// <summary>An estimate with no data behind it (verdict unknown, NaN bounds).</summary>
    public static RatioEstimate None(string method, double threshold = VerdictRule.DefaultThreshold) =>
        new(double.NaN, double.NaN, double.NaN, 0, threshold, Verdict.Unknown, method);
}
