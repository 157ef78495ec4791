using RfcnPerf.Testing;

namespace RfcnPerf.Accuracy.Tests;

/// <summary>One eval run of two models (<see cref="TestRuns"/>: the NanoDet FP32/INT8 pair, else yolov8n and yolov8s) over the first 6 images, shared by the report tests.</summary>
public sealed class NanodetPairFixture : IDisposable
{
    public const int Images = 6;

    private readonly TempDir dir = new();

    public NanodetPairFixture()
    {
        OutDir = dir.File("report");
        Options = TestRuns.Options(OutDir, Images, TestRuns.First, TestRuns.Second) with { Visualize = 2 };
        Report = AccuracyRunner.Run(Options, Listener);
    }

    internal AccuracyRunOptions Options { get; }

    internal RecordingListener Listener { get; } = new();

    public string OutDir { get; }

    public AccuracyReport Report { get; }

    public void Dispose() => dir.Dispose();
}
