using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving;

/// <summary>
/// The shape of a uint8 pixel tensor, <c>[N, H, W, 3]</c> or <c>[H, W, 3]</c>, as KServe's UINT8 input and gRPC's
/// DT_UINT8 tensor declare it, checked against the server's limits before any byte is trusted: the dimensions
/// come from the client as 64-bit integers, so H x W is compared without multiplying (2^62 x 4 wraps to 0).
/// </summary>
internal readonly record struct PixelShape(int Count, int Height, int Width)
{
    /// <summary>Bytes of one image; at most 3 x <see cref="ServingOptions.MaxPixelsPerImage"/>, which fits an int.</summary>
    public int BytesPerImage => Height * Width * 3;

    /// <summary>Bytes the whole tensor must hold.</summary>
    public long TotalBytes => (long)Count * BytesPerImage;

    /// <summary>Checks <paramref name="shape"/>; <paramref name="what"/> names the tensor in errors.</summary>
    public static PixelShape Check(long[] shape, long maxPixels, int maxImages, string what)
    {
        if (shape.Length is not (3 or 4) || shape[^1] != 3)
        {
            throw ServingException.Invalid($"{what} has shape {Format(shape)}; expected [N, H, W, 3] or [H, W, 3]");
        }

        long n = shape.Length == 4 ? shape[0] : 1, h = shape[^3], w = shape[^2];
        if (n < 1 || n > maxImages || h < 1 || w < 1)
        {
            throw ServingException.Invalid($"{what} has shape {Format(shape)}; N must be 1..{maxImages}, H and W at least 1");
        }

        // h * w > maxPixels, without the product: w > floor(maxPixels / h) exactly when h * w > maxPixels.
        if (w > maxPixels / h)
        {
            throw ServingException.Invalid($"{what} images have {h}x{w} pixels, more than the limit of {maxPixels} (--max-pixels)");
        }

        return new PixelShape((int)n, (int)h, (int)w);
    }

    /// <summary>The tensor's shape as its message writes it.</summary>
    public static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>Cuts <paramref name="rgb"/> (exactly <see cref="TotalBytes"/> long) into images named <c>inputs[i]</c>.</summary>
    public List<DecodedImage> Split(ReadOnlySpan<byte> rgb)
    {
        var images = new List<DecodedImage>(Count);
        try
        {
            for (var i = 0; i < Count; i++)
            {
                images.Add(DecodedImage.FromRgb(rgb.Slice(i * BytesPerImage, BytesPerImage), Width, Height, $"inputs[{i}]"));
            }

            return images;
        }
        catch
        {
            ImageJson.Dispose(images);
            throw;
        }
    }
}
