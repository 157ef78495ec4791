using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>One eval run of the NanoDet FP32/INT8 pair over the first 6 images, shared by the report tests (~2 s).</summary>
public sealed class NanodetPairFixture : IDisposable
{
    public const int Images = 6;

    private readonly TempDir dir = new();

    public NanodetPairFixture()
    {
        OutDir = dir.File("report");
        Options = TestRuns.Options(OutDir, Images, TestRuns.NanodetFp32, TestRuns.NanodetInt8) with { Visualize = 2 };
        Report = AccuracyRunner.Run(Options, Listener);
    }

    internal AccuracyRunOptions Options { get; }

    internal RecordingListener Listener { get; } = new();

    public string OutDir { get; }

    public AccuracyReport Report { get; }

    public void Dispose() => dir.Dispose();
}
