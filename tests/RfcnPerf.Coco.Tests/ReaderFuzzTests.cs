using System.Text;
using RfcnPerf.Coco.Json;
using RfcnPerf.Testing;
using RfcnPerf.Testing.Fuzzing;
using Xunit.Abstractions;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// Mutated golden-case files through the ground-truth and results readers: each parses or fails with a
/// <see cref="CocoException"/>, within the time and allocation bounds of <see cref="MutationFuzz"/>; plus every
/// input the AFL harness (fuzz/run.sh) found to break that, kept in FuzzRegressions/.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 5000;

    /// <summary>Every image and category id of the results seeds (the AFL harness reads the same file).</summary>
    private static readonly Lazy<CocoGroundTruth> ResultsTruth = new(() => CocoGroundTruth.Load(Path.Combine(TestPaths.RepoRoot, "fuzz", "results-gt.json")));

    /// <summary>The image sizes of the segm results seeds (the AFL harness reads the same file).</summary>
    private static readonly Lazy<CocoGroundTruth> SegmTruth = new(() => CocoGroundTruth.Load(Path.Combine(TestPaths.RepoRoot, "fuzz", "results-segm-gt.json"), CocoIouType.Segm));

    /// <summary>The person category (17 keypoints) and images of the keypoints results seeds.</summary>
    private static readonly Lazy<CocoGroundTruth> KeypointsTruth = new(() => CocoGroundTruth.Load(Path.Combine(TestPaths.RepoRoot, "fuzz", "results-keypoints-gt.json"), CocoIouType.Keypoints));

    private static readonly string RegressionDir = Path.Combine(TestPaths.RepoRoot, "tests", "RfcnPerf.Coco.Tests", "FuzzRegressions");

    [Fact]
    public void Mutated_ground_truth_parses_or_raises_CocoException()
    {
        var (parsed, rejected) = MutationFuzz.Check<CocoException>(
            "gt", MutationFuzz.Seeds("gt"), ReadGroundTruth, MutationFuzz.Iterations(Inputs), MutationFuzz.Dictionary("coco"));
        output.WriteLine($"gt: {parsed + rejected} inputs, {parsed} parsed, {rejected} rejected with CocoException");
    }

    [Fact]
    public void Mutated_results_parse_or_raise_CocoException()
    {
        var (parsed, rejected) = MutationFuzz.Check<CocoException>(
            "results", MutationFuzz.Seeds("results"), ReadResults, MutationFuzz.Iterations(Inputs), MutationFuzz.Dictionary("coco"));
        output.WriteLine($"results: {parsed + rejected} inputs, {parsed} parsed, {rejected} rejected with CocoException");
    }

    [Theory]
    [InlineData("gt-segm")]
    [InlineData("gt-keypoints")]
    [InlineData("results-segm")]
    [InlineData("results-keypoints")]
    public void Mutated_segm_and_keypoints_files_parse_or_raise_CocoException(string target)
    {
        Action<byte[]> read = Reader(target);
        var (parsed, rejected) = MutationFuzz.Check<CocoException>(
            target, MutationFuzz.Seeds(target), read, MutationFuzz.Iterations(Inputs), MutationFuzz.Dictionary("coco"));
        output.WriteLine($"{target}: {parsed + rejected} inputs, {parsed} parsed, {rejected} rejected with CocoException");
    }

    [Fact]
    public void Mutated_score_files_parse_or_raise_CocoException()
    {
        var (parsed, rejected) = MutationFuzz.Check<CocoException>(
            "score", MutationFuzz.Seeds("score"), ReadScore, MutationFuzz.Iterations(Inputs), MutationFuzz.Dictionary("coco"));
        output.WriteLine($"score: {parsed + rejected} inputs, {parsed} parsed, {rejected} rejected with CocoException");
    }

    public static TheoryData<string> Regressions() => [.. Directory.GetFiles(RegressionDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Regressions))]
    public void Fuzzer_findings_are_CocoExceptions(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RegressionDir, file));
        // Files are named TARGET-...; the longest target name that prefixes the file wins (gt-segm before gt).
        Action<byte[]> read = Reader(Targets.Where(t => file.StartsWith(t + "-", StringComparison.Ordinal)).MaxBy(t => t.Length) ?? "results");
        var outcome = MutationFuzz.Run(read, bytes);
        var ex = Assert.IsType<CocoException>(outcome);
        Assert.StartsWith("fuzz.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"images\": [{\"id\": 1, \"file_name\": \"a\xff.jpg\"}]}", "images[0].file_name: expected a string of valid UTF-8 text")]
    [InlineData("{\"images\": [{\"id\": 1, \"file_name\": \"\\ud800\"}]}", "images[0].file_name: expected a string of valid UTF-8 text")]
    [InlineData("{\"annotations\": [{\"id\": \"\xfe\"}]}", "expected an integer, found a string that is not valid UTF-8")]
    public void Text_that_is_not_UTF8_is_a_CocoException_naming_the_field(string json, string expected)
    {
        // Latin-1 keeps the \xNN chars as single raw bytes: invalid UTF-8, as the AFL findings have.
        var ex = Assert.Throws<CocoException>(() => ReadGroundTruth(Encoding.Latin1.GetBytes(json)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"timings\": {\"loadGroundTruth\": 1e300, \"loadResults\": 0, \"evaluate\": 0, \"accumulate\": 0, \"summarize\": 0}", "field 'timings.loadGroundTruth': expected a duration in seconds (>= 0 and finite), found 1E+300")]
    [InlineData("\"timings\": {\"loadGroundTruth\": \"NaN\", \"loadResults\": 0, \"evaluate\": 0, \"accumulate\": 0, \"summarize\": 0}", "field 'timings.loadGroundTruth': expected a duration in seconds (>= 0 and finite), found NaN")]
    [InlineData("\"annotations\": \"gt\xff.json\"", "field 'annotations': expected UTF-8 text, found invalid bytes")]
    [InlineData("\"detections\": 1e999", "field 'detections': expected an integer, found 1e999")]
    public void Score_file_fields_that_cannot_be_held_are_CocoExceptions(string replacement, string expected)
    {
        // One field of a real score file overridden: JsonDocument's property lookup finds the last of duplicates.
        var seed = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "fuzz", "seeds", "score", "basic_mixed.score.json"), Encoding.UTF8);
        var json = seed.TrimEnd()[..^1] + "," + replacement + "}";
        var ex = Assert.Throws<CocoException>(() => ReadScore(Encoding.Latin1.GetBytes(json)));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static readonly string[] Targets = ["gt", "results", "score", "gt-segm", "gt-keypoints", "results-segm", "results-keypoints"];

    /// <summary>The reader a target name (and a regression file's prefix) stands for.</summary>
    private static Action<byte[]> Reader(string target) => target switch
    {
        "gt" => ReadGroundTruth,
        "score" => ReadScore,
        "gt-segm" => bytes => GroundTruthReader.Read(new MemoryStream(bytes), "fuzz.json", CocoIouType.Segm),
        "gt-keypoints" => bytes => GroundTruthReader.Read(new MemoryStream(bytes), "fuzz.json", CocoIouType.Keypoints),
        "results-segm" => bytes => ReadAndEvaluate(bytes, SegmTruth.Value),
        "results-keypoints" => bytes => ReadAndEvaluate(bytes, KeypointsTruth.Value),
        _ => ReadResults,
    };

    /// <summary>Results read for the ground truth's iouType, then evaluated (masks rasterised, OKS computed), as the AFL target does.</summary>
    private static void ReadAndEvaluate(byte[] bytes, CocoGroundTruth truth)
    {
        var builder = new ResultsBuilder(truth.IouType);
        ResultsReader.Read(new MemoryStream(bytes), "fuzz.json", truth, dropUnknownImages: false, builder);
        _ = new CocoEvaluator(truth, builder.Build(["fuzz.json"]), new CocoEvalParams(truth.IouType), 1).Run();
    }

    private static void ReadGroundTruth(byte[] bytes) => GroundTruthReader.Read(new MemoryStream(bytes), "fuzz.json");

    private static void ReadScore(byte[] bytes) => CocoScoreFile.Parse(bytes, "fuzz.json");

    private static void ReadResults(byte[] bytes)
    {
        var builder = new ResultsBuilder(CocoIouType.Bbox);
        ResultsReader.Read(new MemoryStream(bytes), "fuzz.json", ResultsTruth.Value, dropUnknownImages: false, builder);
        _ = builder.Build(["fuzz.json"]);
    }
}
