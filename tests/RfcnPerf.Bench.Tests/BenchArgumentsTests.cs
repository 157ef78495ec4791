using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench.Tests;

public sealed class BenchArgumentsTests
{
    [Fact]
    public void NoArgumentsRunsTheQuickProfileOverEveryBenchmark()
    {
        var parsed = BenchArguments.Parse([]);

        Assert.Same(BenchProfile.Quick, parsed.Profile);
        Assert.Null(parsed.Models);
        Assert.False(parsed.Help);
        Assert.Equal(["--filter", "*"], parsed.BenchmarkDotNetArgs);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("FULL")]
    public void TheFirstArgumentNamesTheProfile(string name) =>
        Assert.Same(BenchProfile.Full, BenchArguments.Parse([name]).Profile);

    [Fact]
    public void UnknownProfileIsAnErrorNamingTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => BenchArguments.Parse(["fast"]));

        Assert.Equal("unknown profile 'fast'; known profiles: quick, full", ex.Message);
    }

    [Fact]
    public void ModelsAreACommaSeparatedListTrimmedOfBlanks()
    {
        var parsed = BenchArguments.Parse(["full", "--models", " yolov8s, ,my.onnx,", "--job", "short"]);

        Assert.Same(BenchProfile.Full, parsed.Profile);
        Assert.Equal(["yolov8s", "my.onnx"], parsed.Models);
        Assert.Equal(["--job", "short", "--filter", "*"], parsed.BenchmarkDotNetArgs);
    }

    [Theory]
    [InlineData("--models")]
    [InlineData("--models", "--filter", "*")]
    public void ModelsWithoutAValueIsAnError(params string[] args)
    {
        var ex = Assert.Throws<ArgumentException>(() => BenchArguments.Parse(args));

        Assert.Contains("--models needs a comma-separated list", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--filter", "*RealTime*")]
    [InlineData("--list", "flat")]
    [InlineData("--anyCategories", "inference")]
    [InlineData("-m")]
    public void ASelectingOptionPassesThroughWithoutTheDefaultFilter(params string[] args) =>
        Assert.Equal(args, BenchArguments.Parse(args).BenchmarkDotNetArgs);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void HelpIsRecognisedAndPassedOn(string flag)
    {
        var parsed = BenchArguments.Parse(["quick", flag]);

        Assert.True(parsed.Help);
        Assert.Equal([flag], parsed.BenchmarkDotNetArgs);
    }

    [Fact]
    public void AProfileNameAfterAnOptionIsPassedThrough()
    {
        var parsed = BenchArguments.Parse(["--filter", "full"]);

        Assert.Same(BenchProfile.Quick, parsed.Profile);
        Assert.Equal(["--filter", "full"], parsed.BenchmarkDotNetArgs);
    }

    [Fact]
    public void UsageListsEveryProfile()
    {
        foreach (var profile in BenchProfile.All)
        {
            Assert.Contains($"{profile.Name,-6} {profile.Description}", BenchArguments.Usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ModelsNoDearerThanTheDefaultOneKeepTheProfilesSampling()
    {
        Assert.Same(BenchProfile.Full, BenchProfile.Full.SampledFor(1));
        Assert.Same(BenchProfile.Full, BenchProfile.Full.SampledFor(0.2));
        Assert.Same(BenchProfile.Full, BenchProfile.Full.SampledFor(double.NaN));
    }

    [Fact]
    public void DearerModelsGetProportionallyFewerSamplesDownToTheFloors()
    {
        var twice = BenchProfile.Full.SampledFor(2);
        Assert.Equal(0.5, twice.SampleScale);
        Assert.Equal(150, twice.RealTimeIterations);
        Assert.Equal(25, twice.ThroughputIterations);
        Assert.Equal(5, twice.WarmupIterations);
        Assert.Equal(BenchProfile.Full.CreationIterations, twice.CreationIterations);
        Assert.Equal("full", twice.Name);

        var nineTimes = BenchProfile.Full.SampledFor(9.1);
        Assert.Equal(BenchProfile.MinRealTimeIterations, nineTimes.RealTimeIterations);
        Assert.Equal(BenchProfile.MinThroughputIterations, nineTimes.ThroughputIterations);
        Assert.Equal(BenchProfile.MinWarmupIterations, nineTimes.WarmupIterations);
    }
}
