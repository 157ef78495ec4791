using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace RfcnPerf.Testing;

/// <summary>
/// Unpacks an archive of committed golden pycocotools cases (<c>tests/data/coco-eval-cases.tar.gz</c>,
/// <c>tests/data/coco-eval-cases-segm-kp.tar.gz</c>) once into the temp folder, in a folder named by the archive's
/// hash, via a scratch folder renamed into place, so test projects (and the benchmark, which links this file)
/// running in parallel never read a half-written copy.
/// </summary>
internal static class GoldenCasesArchive
{
    /// <summary>Returns the <c>coco-eval-cases</c> folder unpacked from <paramref name="archive"/>.</summary>
    public static string Extract(string archive) => Extract(archive, "coco-eval-cases");

    /// <summary>Returns the folder <paramref name="folder"/> (the archive's top folder) unpacked from <paramref name="archive"/>.</summary>
    public static string Extract(string archive, string folder)
    {
        string hash;
        using (var stream = File.OpenRead(archive))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        }

        var target = Path.Combine(Path.GetTempPath(), "rfcnperf-coco-eval-cases-" + hash);
        if (!Directory.Exists(target))
        {
            var scratch = target + ".tmp-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(scratch);
            try
            {
                using (var file = File.OpenRead(archive))
                using (var gzip = new GZipStream(file, CompressionMode.Decompress))
                {
                    TarFile.ExtractToDirectory(gzip, scratch, overwriteFiles: false);
                }

                try
                {
                    Directory.Move(scratch, target);
                }
                catch (IOException) when (Directory.Exists(target))
                {
                    // Another process finished first; its copy is identical.
                }
            }
            finally
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
        }

        return Path.Combine(target, folder);
    }
}
