using System.CommandLine;
using RfcnPerf.Core;

namespace RfcnPerf.Cli.Tests;

/// <summary>Session settings from the shared detector options: who spins by default, and contradictions.</summary>
public sealed class DetectorCliOptionsTests
{
    private static (DetectorCliOptions Options, ParseResult Parse) Parse(params string[] args)
    {
        var options = new DetectorCliOptions();
        var command = new RootCommand();
        options.AddTo(command);
        return (options, command.Parse(args));
    }

    [Theory]
    [InlineData(true, new string[0], false)] // pipelined detect / eval run: the decoder gets the idle cores
    [InlineData(false, new string[0], true)] // --sequential and serve: ORT's default
    [InlineData(true, new[] { "--spin" }, true)]
    [InlineData(false, new[] { "--no-spin" }, false)]
    [InlineData(true, new[] { "--no-spin" }, false)]
    public void Idle_threads_spin_unless_the_run_is_pipelined_or_told(bool pipelined, string[] args, bool spins)
    {
        var (options, parse) = Parse(args);

        Assert.Equal(spins, options.GetSettings(parse, pipelined).AllowSpinning);
    }

    [Fact]
    public void Spin_and_no_spin_together_are_refused()
    {
        var (options, parse) = Parse("--spin", "--no-spin");

        var ex = Assert.Throws<RfcnPerfException>(() => options.GetSettings(parse));
        Assert.Contains("--spin and --no-spin", ex.Message, StringComparison.Ordinal);
    }
}
