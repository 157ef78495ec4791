using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using RfcnPerf.Coco.Json;
using RfcnPerf.Testing;
using RfcnPerf.Testing.Fuzzing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The readers' fast paths for arrays of numbers (boxes, keypoints, polygons read or skipped straight from the buffer)
/// change nothing a user can see: every golden file and every mutated seed reads to the same data, or fails with the
/// same message (line and byte of malformed JSON included), as the token-by-token reading.
/// </summary>
public sealed class FastPathReaderTests
{
    private const int MutatedInputs = 3000;

    private static readonly Lazy<CocoGroundTruth> ResultsTruth = new(() => CocoGroundTruth.Load(Path.Combine(TestPaths.RepoRoot, "fuzz", "results-gt.json")));

    private static readonly Lazy<CocoGroundTruth> SegmTruth = new(() => CocoGroundTruth.Load(Path.Combine(TestPaths.RepoRoot, "fuzz", "results-segm-gt.json"), CocoIouType.Segm));

    private static readonly Lazy<CocoGroundTruth> KeypointsTruth = new(() => CocoGroundTruth.Load(Path.Combine(TestPaths.RepoRoot, "fuzz", "results-keypoints-gt.json"), CocoIouType.Keypoints));

    [Theory]
    [MemberData(nameof(ParallelReadTests.Files), MemberType = typeof(ParallelReadTests))]
    public void Golden_files_read_the_same_with_and_without_the_fast_paths(string name, bool segmKp)
    {
        var golden = segmKp ? GoldenCase.LoadSegmKp(name) : GoldenCase.Load(name);
        byte[] gtBytes = File.ReadAllBytes(golden.GroundTruthPath);
        var gt = GroundTruth(gtBytes, golden.IouType, fastPaths: false);
        ParallelReadTests.AssertSame(gt, GroundTruth(gtBytes, golden.IouType, fastPaths: true), $"{name} ground truth");

        byte[] dtBytes = File.ReadAllBytes(golden.ResultsPath);
        ParallelReadTests.AssertSame(Results(dtBytes, gt, fastPaths: false), Results(dtBytes, gt, fastPaths: true), $"{name} results");
    }

    [Theory]
    [InlineData("gt")]
    [InlineData("gt-segm")]
    [InlineData("gt-keypoints")]
    [InlineData("results")]
    [InlineData("results-segm")]
    [InlineData("results-keypoints")]
    public void Mutated_inputs_read_the_same_with_and_without_the_fast_paths(string target)
    {
        var gen = MutationFuzz.Mutations(MutationFuzz.Seeds(target), MutationFuzz.Dictionary("coco"));
        int failed = 0, read = 0;
        gen.Sample(
            input =>
            {
                var precise = Outcome(target, input, fastPaths: false);
                var fast = Outcome(target, input, fastPaths: true);
                if (precise is string message)
                {
                    Assert.Equal(message, fast as string);
                    Interlocked.Increment(ref failed);
                }
                else
                {
                    Assert.IsNotType<string>(fast);
                    AssertSameObject(precise!, fast!, target);
                    Interlocked.Increment(ref read);
                }
            },
            iter: MutationFuzz.Iterations(MutatedInputs));
        Assert.True(failed > 0 && read > 0, $"{target}: {read} read, {failed} failed: expected some of each");
    }

    [Theory]
    [InlineData("""[{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.5}, {"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4] "score": 0.5}]""")]
    [InlineData("""[{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "segmentation": [[1, 2, 3, 4, 5, 6]], "score": 0.5}, {"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": .5}]""")]
    [InlineData("[{\"image_id\": 1, \"category_id\": 1,\n \"bbox\": [1, 2,\n 3, 4], \"score\": 0.5}, {\"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4], \"score\": 0.5}] x")]
    [InlineData("""[{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.5}, {"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.5""")]
    public void Malformed_json_after_a_fast_read_array_names_the_true_line_and_byte(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var fast = Assert.Throws<CocoException>(() => Results(bytes, ResultsTruth.Value, fastPaths: true));
        var precise = Assert.Throws<CocoException>(() => Results(bytes, ResultsTruth.Value, fastPaths: false));
        Assert.Equal(precise.Message, fast.Message);

        // The position System.Text.Json itself reports for the whole text.
        var ex = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: "), fast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_number_parser_accepts_exactly_the_finite_json_numbers()
    {
        // Short strings over the characters of numbers: a string is one JSON number exactly when [s] parses as an
        // array of one; the parser takes it whole when it is, and its double is finite, and gives the reader's double.
        Gen.Char["0123456789-+.eE"].Array[1, 8].Select(c => new string(c)).Sample(text =>
        {
            byte[] utf8 = Encoding.ASCII.GetBytes(text);
            double? expected = null;
            try
            {
                using var doc = JsonDocument.Parse("[" + text + "]");
                if (doc.RootElement.GetArrayLength() == 1 && doc.RootElement[0].TryGetDouble(out double v) && double.IsFinite(v))
                {
                    expected = v;
                }
            }
            catch (JsonException)
            {
            }

            int length = FastDouble.ParseJsonNumber(utf8, out double actual);
            Assert.True(expected.HasValue == (length == utf8.Length), text);
            if (expected is double e)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(actual), $"{text}: {e:R} vs {actual:R}");
            }
        }, iter: 200_000);
    }

    [Fact]
    public void Numbers_in_and_beyond_the_fast_path_parse_to_the_readers_double()
    {
        // 1-19 significant digits (Python's repr of a double, and longer) and large exponents: the general parser.
        Gen.Select(Gen.OneOf(Gen.Long[0, 9_999_999], Gen.Long[0, long.MaxValue]), Gen.Int[0, 20], Gen.Int[-330, 310], Gen.Bool).Sample((m, point, exponent, withExponent) =>
        {
            string digits = m.ToString(CultureInfo.InvariantCulture);
            string text = point == 0 ? digits : point < digits.Length ? digits[..(digits.Length - point)] + "." + digits[(digits.Length - point)..] : "0." + digits;
            if (withExponent)
            {
                text += "e" + exponent.ToString(CultureInfo.InvariantCulture);
            }

            byte[] utf8 = Encoding.ASCII.GetBytes(text);
            var reader = new Utf8JsonReader(utf8);
            Assert.True(reader.Read());
            bool expectedFinite = reader.TryGetDouble(out double expected) && double.IsFinite(expected);
            Assert.Equal(expectedFinite, FastDouble.ParseJsonNumber(utf8, out double actual) == utf8.Length);
            if (expectedFinite)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{text}: {expected:R} vs {actual:R}");
            }
        }, iter: 200_000);
    }

    /// <summary>What reading gives: the message of its CocoException, or what it read.</summary>
    private static object Outcome(string target, byte[] input, bool fastPaths)
    {
        try
        {
            return target switch
            {
                "gt" => GroundTruth(input, CocoIouType.Bbox, fastPaths),
                "gt-segm" => GroundTruth(input, CocoIouType.Segm, fastPaths),
                "gt-keypoints" => GroundTruth(input, CocoIouType.Keypoints, fastPaths),
                "results-segm" => Results(input, SegmTruth.Value, fastPaths),
                "results-keypoints" => Results(input, KeypointsTruth.Value, fastPaths),
                _ => Results(input, ResultsTruth.Value, fastPaths),
            };
        }
        catch (CocoException ex)
        {
            return ex.Message;
        }
    }

    private static void AssertSameObject(object expected, object actual, string what)
    {
        if (expected is CocoGroundTruth gt)
        {
            ParallelReadTests.AssertSame(gt, Assert.IsType<CocoGroundTruth>(actual), what);
        }
        else
        {
            ParallelReadTests.AssertSame((CocoResults)expected, Assert.IsType<CocoResults>(actual), what);
        }
    }

    private static CocoGroundTruth GroundTruth(byte[] bytes, CocoIouType iouType, bool fastPaths) =>
        GroundTruthReader.Read(new MemoryStream(bytes), "fuzz.json", iouType, fastPaths);

    private static CocoResults Results(byte[] bytes, CocoGroundTruth truth, bool fastPaths)
    {
        var builder = new ResultsBuilder(truth.IouType);
        ResultsReader.Read(new MemoryStream(bytes), "fuzz.json", truth, dropUnknownImages: false, builder, fastPaths: fastPaths);
        return builder.Build(["fuzz.json"]);
    }
}
