namespace RfcnPerf.Statistics.Tests;

public sealed class VerdictRuleTests
{
    [Theory]
    [InlineData(0.96, 1.04, 30, "same")]
    [InlineData(0.95, 1.05, 30, "same")]
    [InlineData(0.94, 1.01, 30, "unknown")]
    [InlineData(0.99, 1.06, 30, "unknown")]
    [InlineData(0.80, 0.949, 30, "faster")]
    [InlineData(0.80, 0.95, 30, "unknown")]
    [InlineData(1.051, 1.30, 30, "slower")]
    [InlineData(1.05, 1.30, 30, "unknown")]
    [InlineData(0.99, 1.01, 29, "unknown")]
    [InlineData(1.5, 2.0, 29, "unknown")]
    public void DecidesByWhereTheIntervalLies(double lower, double upper, int rounds, string expected) =>
        Assert.Equal(expected, VerdictRule.Decide(lower, upper, rounds).Word());

    [Fact]
    public void TheThresholdMovesTheEdges()
    {
        Assert.Equal(Verdict.Unknown, VerdictRule.Decide(0.97, 1.04, 50, 0.02));
        Assert.Equal(Verdict.Slower, VerdictRule.Decide(1.03, 1.04, 50, 0.02));
        Assert.Equal(Verdict.Same, VerdictRule.Decide(0.97, 1.04, 50, 0.05));
    }

    [Fact]
    public void NanOrReversedIntervalsAreUnknown()
    {
        Assert.Equal(Verdict.Unknown, VerdictRule.Decide(double.NaN, 1, 100));
        Assert.Equal(Verdict.Unknown, VerdictRule.Decide(1.02, 0.98, 100));
    }

    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData(" 2.5% ", 0.025)]
    [InlineData("0.1", 0.1)]
    public void ParsesThresholds(string text, double expected) => Assert.Equal(expected, VerdictRule.ParseThreshold(text), 15);

    [Theory]
    [InlineData("five")]
    [InlineData("0%")]
    [InlineData("100%")]
    [InlineData("-3%")]
    [InlineData("1.5")]
    public void RejectsThresholdsOutsideZeroToOne(string text) =>
        Assert.Contains(text.Trim(), Assert.Throws<FormatException>(() => VerdictRule.ParseThreshold(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void StoppingRuleWantsHalfWidthAtMostHalfTheThreshold()
    {
        Assert.True(VerdictRule.NarrowEnough(0.985, 1.03));
        Assert.False(VerdictRule.NarrowEnough(0.97, 1.03));
    }

    [Fact]
    public void WordsRoundTrip()
    {
        foreach (var v in Enum.GetValues<Verdict>())
        {
            Assert.Equal(v, VerdictRule.ParseWord(v.Word()));
        }
    }
}
