using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace RfcnPerf.Core.Imaging;

/// <summary>
/// The machine's libjpeg-turbo through its TurboJPEG API (libturbojpeg.so.0; Debian/Ubuntu package
/// libturbojpeg0), used by <see cref="ImageDecoder"/> for baseline and progressive YCbCr/grayscale JPEGs when it
/// is present. The libjpeg-turbo inside SkiaSharp's native library is built without its x86 SIMD code; the
/// system one has it and decoded the COCO images in 2.5 ms instead of Skia's 4.0 (640 x 480, one thread, this
/// 2-vCPU Xeon), with the same pixels: both run libjpeg-turbo's accurate integer IDCT (JDCT_ISLOW) and fancy
/// upsampling, whose SIMD code is bit-exact with the C code (ImageDecoderTests compare every bundled image).
/// Anything the library refuses or warns about (CMYK/YCCK, truncated or corrupt data) is left to Skia, so
/// messages and the handling of odd files do not change. <c>RFCNPERF_JPEG_DECODER=skia</c> turns it off.
/// </summary>
internal static unsafe class TurboJpeg
{
    private const int PixelFormatRgba = 7; // TJPF_RGBA
    private const int FlagAccurateDct = 4096; // TJFLAG_ACCURATEDCT: JDCT_ISLOW, as Skia asks
    private const int FlagStopOnWarning = 8192; // TJFLAG_STOPONWARNING: a warning is a failure (Skia decides)
    private const int ColorspaceCmyk = 3; // TJCS_CMYK
    private const int ColorspaceYcck = 4; // TJCS_YCCK

    private static readonly Api? Functions = Load();
    private static readonly ConcurrentBag<nint> Handles = [];

    /// <summary>True when libturbojpeg was found and not turned off; decoding then tries it first.</summary>
    public static bool Available => Functions is not null;

    /// <summary>Where JPEGs are decoded, for run metadata.</summary>
    public static string Describe() => Available ? "libjpeg-turbo (system libturbojpeg, SIMD)" : "SkiaSharp (libjpeg-turbo without SIMD)";

    /// <summary>
    /// Decodes <paramref name="jpeg"/> as RGBA8888 (alpha 255) into <paramref name="destination"/> rows of
    /// <paramref name="rowBytes"/> when it is exactly <paramref name="width"/> x <paramref name="height"/> and
    /// in a colour space Skia would convert the same way; false (destination contents undefined) otherwise.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> jpeg, int width, int height, nint destination, int rowBytes)
    {
        if (Functions is not { } api)
        {
            return false;
        }

        if (!Handles.TryTake(out var handle))
        {
            handle = api.InitDecompress();
            if (handle == 0)
            {
                return false;
            }
        }

        try
        {
            fixed (byte* source = jpeg)
            {
                int w, h, subsampling, colorspace;
                if (api.DecompressHeader3(handle, source, (nuint)jpeg.Length, &w, &h, &subsampling, &colorspace) != 0
                    || w != width || h != height || colorspace is ColorspaceCmyk or ColorspaceYcck)
                {
                    return false;
                }

                return api.Decompress2(handle, source, (nuint)jpeg.Length, (byte*)destination, width, rowBytes, height, PixelFormatRgba, FlagAccurateDct | FlagStopOnWarning) == 0;
            }
        }
        finally
        {
            Handles.Add(handle);
        }
    }

    private static Api? Load()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("RFCNPERF_JPEG_DECODER"), "skia", StringComparison.OrdinalIgnoreCase)
            || !OperatingSystem.IsLinux()
            || !NativeLibrary.TryLoad("libturbojpeg.so.0", typeof(TurboJpeg).Assembly, null, out var library))
        {
            return null;
        }

        if (!NativeLibrary.TryGetExport(library, "tjInitDecompress", out var init)
            || !NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out var header)
            || !NativeLibrary.TryGetExport(library, "tjDecompress2", out var decompress))
        {
            return null;
        }

        return new Api(
            (delegate* unmanaged<nint>)init,
            (delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int>)header,
            (delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int>)decompress);
    }

    /// <summary>The three TurboJPEG 2.x entry points used (tjhandle is a pointer, unsigned long a nuint on 64-bit Linux).</summary>
    private sealed class Api(
        delegate* unmanaged<nint> initDecompress,
        delegate* unmanaged<nint, byte*, nuint, int*, int*, int*, int*, int> decompressHeader3,
        delegate* unmanaged<nint, byte*, nuint, byte*, int, int, int, int, int, int> decompress2)
    {
        public nint InitDecompress() => initDecompress();

        public int DecompressHeader3(nint handle, byte* jpeg, nuint size, int* width, int* height, int* subsampling, int* colorspace) =>
            decompressHeader3(handle, jpeg, size, width, height, subsampling, colorspace);

        public int Decompress2(nint handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags) =>
            decompress2(handle, jpeg, size, destination, width, pitch, height, pixelFormat, flags);
    }
}
