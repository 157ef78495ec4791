using System.Buffers.Binary;
using RfcnPerf.Core.Imaging;
using RfcnPerf.Testing.Fuzzing;
using Xunit.Abstractions;

namespace RfcnPerf.Core.Tests;

/// <summary>
/// Mutated tiny PNG/JPEG files through <see cref="ImageDecoder"/>: each decodes or fails with a
/// <see cref="RfcnPerfException"/>, within the time and allocation bounds of <see cref="MutationFuzz"/>; a declared
/// size past <see cref="ImageDecoder.MaxPixels"/> is refused before any pixel buffer exists.
/// </summary>
public sealed class ImageFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 2000;


    [Fact]
    public void Mutated_images_decode_or_raise_RfcnPerfException()
    {
        var (parsed, rejected) = MutationFuzz.Check<RfcnPerfException>(
            "image", [.. ImageSeeds.All().Values], Decode, MutationFuzz.Iterations(Inputs));
        output.WriteLine($"image: {parsed + rejected} inputs, {parsed} decoded, {rejected} rejected with RfcnPerfException");
    }

    [Theory]
    [InlineData(100_000, 100_000)]
    [InlineData(65_535, 1_025)]
    [InlineData(8_193, 8_192)]
    public void A_PNG_declaring_more_than_MaxPixels_is_refused_before_decoding(int width, int height)
    {
        // A 100-byte PNG whose header says 100,000 x 100,000 would otherwise make the decoder allocate (and fill
        // with zeros, the image being "truncated") 40 GB of RGBA.
        var png = WithPngSize(ImageSeeds.All()["rgba8888.png"], width, height);
        var ex = Assert.Throws<RfcnPerfException>(() => ImageDecoder.Decode(png, "huge.png"));
        Assert.Equal($"image of {width} x {height} pixels declared, expected 1 to {ImageDecoder.MaxPixels:N0} pixels: huge.png", ex.Message);
    }

    [Fact]
    public void An_image_at_the_size_limit_gets_past_the_size_check()
    {
        // 8192 x 8192 = MaxPixels exactly: the header is accepted, the data (12 x 8 pixels' worth) is then truncated.
        var png = WithPngSize(ImageSeeds.All()["rgba8888.png"], 8192, 8192);
        var ex = Assert.Throws<RfcnPerfException>(() => ImageDecoder.Decode(png, "big.png"));
        Assert.StartsWith("corrupt image", ex.Message, StringComparison.Ordinal);
    }

    private static void Decode(byte[] bytes)
    {
        using var image = ImageDecoder.Decode(bytes, "fuzz.img");
    }

    /// <summary>The PNG with its IHDR width and height replaced (and the chunk's CRC recomputed, so libpng accepts it).</summary>
    private static byte[] WithPngSize(byte[] png, int width, int height)
    {
        var copy = (byte[])png.Clone();
        const int ihdr = 8 + 4; // signature, chunk length; then "IHDR" and 13 data bytes
        Assert.Equal("IHDR"u8.ToArray(), copy[ihdr..(ihdr + 4)]);
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(ihdr + 4), width);
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(ihdr + 8), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(ihdr + 4 + 13), Crc32(copy.AsSpan(ihdr, 4 + 13)));
        return copy;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
