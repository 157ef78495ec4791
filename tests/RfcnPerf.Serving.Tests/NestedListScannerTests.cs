using System.Text;
using System.Text.Json;
using CsCheck;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// The byte scanner for uint8 nested lists against the general reader (<see cref="ImageJson.ReadNestedListWithReader"/>),
/// on random shapes, pixel values and whitespace, and on the same bodies with random bytes changed: the scanner
/// accepts exactly what the reader accepts, with the same pixels and the same end, and what it refuses gets the
/// reader's own message.
/// </summary>
public sealed class NestedListScannerTests
{
    /// <summary>The CsCheck seed, fixed so a CI run is reproducible.</summary>
    private const string Seed = "0NestedList01";

    private const int Iterations = 3000;

    private const string Prefix = "{\"instances\": [";

    private const string Suffix = "], \"signature_name\": \"serving_default\"}";

    /// <summary>JSON's four whitespace characters, none, and runs of them.</summary>
    private static readonly string[] Gaps = ["", "", "", " ", "\n", "\t", "\r\n", "  ", " \n\t "];

    /// <summary>Bytes a mutation writes: digits, the list's punctuation, whitespace, and what a float, sign or typo brings.</summary>
    private static readonly byte[] MutationBytes = Encoding.ASCII.GetBytes("0123456789,,[[]] \n\t.eE-+x\"");

    /// <summary>(height, width, seed of the values and gaps, how often a gap is not empty: 0 = compact).</summary>
    private static readonly Gen<(int Height, int Width, int Seed, int Spacing)> Shapes =
        Gen.Select(Gen.Int[1, 6], Gen.OneOf(Gen.Int[1, 6], Gen.Int[1, 40]), Gen.Int, Gen.Int[0, 3]);

    [Fact]
    public void Random_shapes_values_and_whitespace_are_scanned_as_the_reader_reads_them()
    {
        Shapes.Sample(shape =>
        {
            var (body, rgb, start, close) = Build(shape);
            using var scanned = NestedListScanner.TryScan(body, start, long.MaxValue, "instances[0]", out var end);
            Assert.NotNull(scanned);
            Assert.Equal(close, end);
            Assert.Equal((shape.Width, shape.Height), (scanned.Width, scanned.Height));
            Assert.Equal(rgb, scanned.ToRgb());

            var reference = ReadWithReader(body);
            Assert.Equal(rgb, Assert.IsType<byte[]>(reference.Rgb));
            Assert.Equal(close, reference.End);

            var (images, _) = TfServingRest.ParsePredictBody(body, long.MaxValue, 4);
            Assert.Equal(rgb, Assert.Single(images).ToRgb());
            ImageJson.Dispose(images);
        }, seed: Seed, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Changed_bytes_are_accepted_exactly_when_the_reader_accepts_them_and_refused_with_its_message()
    {
        int accepted = 0, refused = 0;
        Gen.Select(Shapes, Gen.Select(Gen.Int, Gen.Int, Gen.Int[0, 2]).Array[1, 3]).Sample((shape, changes) =>
        {
            var (original, _, start, _) = Build(shape);
            // The image's opening bracket stays where the scanner is pointed; everything after it up to the suffix may change.
            var body = Mutate(original, start + 1, original.Length - Encoding.ASCII.GetByteCount(Suffix), changes);
            var reference = ReadWithReader(body);
            using (var scanned = NestedListScanner.TryScan(body, start, long.MaxValue, "instances[0]", out var end))
            {
                if (scanned is not null)
                {
                    accepted++;
                    Assert.True(reference.Rgb is not null, $"the scanner accepted what the reader refuses: {reference.Error}");
                    Assert.Equal(reference.Rgb, scanned.ToRgb());
                    Assert.Equal((reference.Width, reference.Height), (scanned.Width, scanned.Height));
                    Assert.Equal(reference.End, end);
                    return;
                }
            }

            refused++;
            Assert.True(reference.Rgb is null, "the scanner refused a uint8 image the reader accepts");
            if (reference.Error is not null)
            {
                var error = Assert.Throws<ServingException>(() => ImageJson.Dispose(TfServingRest.ParsePredictBody(body, long.MaxValue, 4).Images));
                Assert.Equal(reference.Error, error.Message);
            }
        }, seed: Seed, iter: Iterations, threads: 1);

        // Both outcomes must occur, or the mutations test nothing.
        Assert.True(accepted > Iterations / 20 && refused > Iterations / 5, $"{accepted} accepted, {refused} refused");
    }

    [Theory]
    [InlineData("[[[1,2,3]]]", true)]
    [InlineData("[ [ [ 1 , 2 , 3 ] ] ]", true)]
    [InlineData("[[[0,0,0],[255,255,255],[9,10,99],[100,199,200]]]", true)]
    [InlineData("[[[256,0,0]]]", false)]
    [InlineData("[[[01,0,0]]]", false)]
    [InlineData("[[[1.0,0,0]]]", false)]
    [InlineData("[[[1e1,0,0]]]", false)]
    [InlineData("[[[-1,0,0]]]", false)]
    [InlineData("[[[1,2]]]", false)]
    [InlineData("[[[1,2,3,4]]]", false)]
    [InlineData("[[]]", false)]
    [InlineData("[]", false)]
    [InlineData("[[[1,2,3],]]", false)]
    [InlineData("[[[1,2,3]],[[1,2,3],[4,5,6]]]", false)]
    public void The_scanner_takes_uint8_lists_and_leaves_everything_else_to_the_reader(string image, bool scanned)
    {
        var body = Encoding.ASCII.GetBytes(Prefix + image + Suffix);
        using var result = NestedListScanner.TryScan(body, Prefix.Length, long.MaxValue, "instances[0]", out _);
        Assert.Equal(scanned, result is not null);
    }

    [Fact]
    public void A_nested_list_past_the_pixel_limit_is_left_to_the_reader()
    {
        var body = Encoding.ASCII.GetBytes(Prefix + "[[[1,2,3],[1,2,3],[1,2,3]],[[1,2,3],[1,2,3],[1,2,3]]]" + Suffix);
        Assert.Null(NestedListScanner.TryScan(body, Prefix.Length, 5, "instances[0]", out _));
        using var six = NestedListScanner.TryScan(body, Prefix.Length, 6, "instances[0]", out _);
        Assert.NotNull(six);
    }

    /// <summary>A body with one image of the shape; its RGB, where the image starts and where its closing bracket is.</summary>
    private static (byte[] Body, byte[] Rgb, int Start, int Close) Build((int Height, int Width, int Seed, int Spacing) shape)
    {
        var random = new Random(shape.Seed);
        var rgb = new byte[shape.Height * shape.Width * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            // Edges of the digit counts half the time.
            rgb[i] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)new[] { 0, 9, 10, 99, 100, 199, 200, 249, 250, 255 }[random.Next(10)];
        }

        string Gap() => shape.Spacing > 0 && random.Next(4) < shape.Spacing ? Gaps[random.Next(Gaps.Length)] : string.Empty;
        var text = new StringBuilder(Prefix).Append(Gap()).Append('[');
        for (var y = 0; y < shape.Height; y++)
        {
            text.Append(Gap()).Append('[');
            for (var x = 0; x < shape.Width; x++)
            {
                var at = ((y * shape.Width) + x) * 3;
                text.Append(Gap()).Append('[')
                    .Append(Gap()).Append(rgb[at]).Append(Gap()).Append(',')
                    .Append(Gap()).Append(rgb[at + 1]).Append(Gap()).Append(',')
                    .Append(Gap()).Append(rgb[at + 2]).Append(Gap()).Append(']').Append(Gap());
                text.Append(x < shape.Width - 1 ? "," : "]");
            }

            text.Append(Gap()).Append(y < shape.Height - 1 ? "," : string.Empty);
        }

        text.Append(Gap());
        var close = text.Length;
        text.Append(']').Append(Gap()).Append(Suffix);
        var start = text.ToString().IndexOf('[', Prefix.Length);
        return (Encoding.ASCII.GetBytes(text.ToString()), rgb, start, close);
    }

    /// <summary>Replaces, deletes or inserts a byte at 1-3 places between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private static byte[] Mutate(byte[] body, int from, int to, (int Where, int What, int Op)[] changes)
    {
        var bytes = new List<byte>(body);
        foreach (var (where, what, op) in changes)
        {
            var at = from + (int)((uint)where % (uint)Math.Max(1, to - from));
            var value = MutationBytes[(int)((uint)what % (uint)MutationBytes.Length)];
            switch (op)
            {
                case 0:
                    bytes[at] = value;
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    to--;
                    break;
                default:
                    bytes.Insert(at, value);
                    to++;
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>The general reader on the body's image: its pixels and closing bracket, or its error message.</summary>
    private static (byte[]? Rgb, int Width, int Height, int End, string? Error) ReadWithReader(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            // {  "instances"  [  then the image's StartArray
            for (var i = 0; i < 4; i++)
            {
                ImageJson.Read(ref reader);
            }

            Assert.Equal(JsonTokenType.StartArray, reader.TokenType);

            using DecodedImage image = ImageJson.ReadNestedListWithReader(ref reader, long.MaxValue, "instances[0]");
            return (image.ToRgb(), image.Width, image.Height, (int)reader.TokenStartIndex, null);
        }
        catch (ServingException ex)
        {
            return (null, 0, 0, 0, ex.Message);
        }
    }
}
