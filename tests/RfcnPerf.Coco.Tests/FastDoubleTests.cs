using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using RfcnPerf.Coco.Json;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The reader's fast number path gives the same double as System.Text.Json's own parser, bit for bit, on every number
/// it accepts (and accepts the numbers COCO files are made of).
/// </summary>
public sealed class FastDoubleTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("123.45")]
    [InlineData("0.000123")]
    [InlineData("1e-05")]
    [InlineData("1.5E+3")]
    [InlineData("9007199254740992")]
    [InlineData("0.1")]
    [InlineData("0.30000000000000004")]
    [InlineData("640")]
    [InlineData("-17.25e-2")]
    [InlineData("4.5e22")]
    public void Accepted_numbers_parse_to_the_readers_double(string text)
    {
        AssertSame(text, mustAccept: text.Replace("-", string.Empty, StringComparison.Ordinal).Length <= 17);
    }

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("12345678901234567890")]
    [InlineData("1e23")]
    [InlineData("1e-23")]
    [InlineData("0.12345678901234567891")]
    public void Beyond_the_exact_range_the_general_parser_gives_the_readers_double(string text)
    {
        AssertSame(text, mustAccept: true);
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e309")]
    public void A_number_that_overflows_a_double_is_refused(string text)
    {
        Assert.Equal(0, FastDouble.ParseJsonNumber(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Random_doubles_in_every_form_json_writers_use()
    {
        Gen.Double.Where(double.IsFinite).Select(Gen.Int[0, 3]).Sample((v, form) =>
        {
            string text = form switch
            {
                0 => v.ToString("R", CultureInfo.InvariantCulture),
                1 => v.ToString("F2", CultureInfo.InvariantCulture),
                2 => v.ToString("E6", CultureInfo.InvariantCulture),
                _ => Math.Round(v % 10000, 3).ToString(CultureInfo.InvariantCulture),
            };
            AssertSame(text, mustAccept: false);
        }, iter: 200_000);
    }

    [Fact]
    public void Random_coordinates_and_scores_take_the_fast_path()
    {
        Gen.Int[0, 100_000_000].Select(Gen.Int[0, 8]).Sample((m, decimals) =>
        {
            string text = (m / Math.Pow(10, decimals)).ToString("R", CultureInfo.InvariantCulture);
            AssertSame(text, mustAccept: !text.Contains('E', StringComparison.Ordinal) || text.Length < 20);
        }, iter: 200_000);
    }

    private static void AssertSame(string text, bool mustAccept)
    {
        byte[] utf8 = Encoding.ASCII.GetBytes(text);
        var reader = new Utf8JsonReader(utf8);
        Assert.True(reader.Read());
        Assert.Equal(JsonTokenType.Number, reader.TokenType);
        bool accepted = FastDouble.ParseJsonNumber(utf8, out double fast) == utf8.Length;
        if (mustAccept)
        {
            Assert.True(accepted, text);
        }

        if (accepted)
        {
            Assert.True(reader.TryGetDouble(out double expected), text);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(fast), $"{text}: {expected:R} vs {fast:R}");
        }
    }
}
