namespace RfcnPerf.Bench.Tests;

/// <summary>Exit codes of runs that must stop before BenchmarkDotNet starts (console redirected, so not in parallel).</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class BenchRunTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            return (BenchRun.Execute(args), stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void BadArgumentsExitWithTwoAndOneReasonLine()
    {
        var (code, stdout, stderr) = Run("fast");

        Assert.Equal(2, code);
        Assert.StartsWith("run-bench: unknown profile 'fast'; known profiles: quick, full\nusage: run-bench.sh", stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void AnUnknownModelStopsTheRunBeforeAnythingIsMeasured()
    {
        var (code, _, stderr) = Run("quick", "--models", "no-such-model");

        Assert.Equal(2, code);
        Assert.Contains("run-bench: FAILED: 'no-such-model' is neither a catalog model (", stderr, StringComparison.Ordinal);
        Assert.Contains("run-bench: nothing was measured.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void AMissingModelFileTheUserNamedIsAnError()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rfcnperf-bench-tests-" + Guid.NewGuid().ToString("N") + ".onnx");

        var (code, _, stderr) = Run("--models", missing);

        Assert.Equal(2, code);
        Assert.Contains($"run-bench: FAILED: model file not found: {missing}", stderr, StringComparison.Ordinal);
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
