using RfcnPerf.Core;
using RfcnPerf.Testing.Fuzzing;
using Xunit.Abstractions;

namespace RfcnPerf.Reports.Tests;

/// <summary>
/// Mutated <c>eval score --json</c> outputs and run.json files through the reader of <c>eval compare</c>
/// (<see cref="ReportJson.ReadRuns"/>): each input is runs or an <see cref="RfcnPerfException"/>, within the
/// time and allocation bounds of <see cref="MutationFuzz"/>.
/// </summary>
public sealed class ScoreJsonFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Inputs = 2000;

    private readonly TempDir dir = new();

    [Fact]
    public void Mutated_score_files_read_or_raise_RfcnPerfException()
    {
        var (parsed, rejected) = MutationFuzz.Check<RfcnPerfException>(
            "score", MutationFuzz.Seeds("score"), Read, MutationFuzz.Iterations(Inputs), MutationFuzz.Dictionary("coco"));
        output.WriteLine($"score: {parsed + rejected} inputs, {parsed} read, {rejected} rejected with RfcnPerfException");
    }

    public void Dispose() => dir.Dispose();

    private void Read(byte[] bytes)
    {
        var path = dir.Sub("fuzz.json");
        File.WriteAllBytes(path, bytes);
        _ = ReportJson.ReadRuns(path);
    }
}
