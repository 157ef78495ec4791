using System.Security.Cryptography;
using System.Text;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Quantization.Calibration;

/// <summary>
/// The images a quantizer calibrates on, in a fixed order (so the statistics, and the model, are reproducible),
/// and where they came from. They must not be evaluation images: the default is the COCO folder's images that
/// the annotation file does not list.
/// </summary>
/// <param name="Images">Image files, in calibration order.</param>
/// <param name="Description">Where the list came from, for reports.</param>
public sealed record CalibrationSet(IReadOnlyList<string> Images, string Description)
{
    /// <summary>
    /// <paramref name="spec"/> is a folder (every JPEG/PNG in it, by name) or a text file listing one image per
    /// line (relative to the list's folder, or to its <c>val2017/</c> subfolder as in the COCO layout; blank
    /// lines and <c>#</c> comments ignored). Every listed file must exist.
    /// </summary>
    public static CalibrationSet FromSpec(string spec)
    {
        if (Directory.Exists(spec))
        {
            var images = ImageList.FromFolder(spec).Select(i => i.Path).ToArray();
            return new CalibrationSet(images, $"folder {Path.GetFullPath(spec)}");
        }

        if (!File.Exists(spec))
        {
            throw new RfcnPerfException($"calibration set not found: {Path.GetFullPath(spec)} (expected a folder of images or a .txt list)");
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(spec);
        }
        catch (IOException ex)
        {
            throw new RfcnPerfException($"calibration list {Path.GetFullPath(spec)} cannot be read: {ex.Message}", ex);
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(spec))!;
        var entries = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        if (entries.Length == 0)
        {
            throw new RfcnPerfException($"calibration list {Path.GetFullPath(spec)} names no image (expected one image path per line)");
        }

        var resolved = new List<string>(entries.Length);
        var missing = new List<string>();
        foreach (var e in entries)
        {
            var candidates = Path.IsPathRooted(e) ? new[] { e } : new[] { Path.Combine(dir, e), Path.Combine(dir, "val2017", e) };
            if (candidates.FirstOrDefault(File.Exists) is { } found)
            {
                resolved.Add(Path.GetFullPath(found));
            }
            else
            {
                missing.Add(e);
            }
        }

        if (missing.Count > 0)
        {
            throw new RfcnPerfException(
                $"calibration list {Path.GetFullPath(spec)}: {missing.Count} of {entries.Length} listed images not found (first: {missing[0]}; looked in {dir} and {Path.Combine(dir, "val2017")})");
        }

        return new CalibrationSet(resolved, $"list {Path.GetFullPath(spec)}");
    }

    /// <summary>The images of <paramref name="imagesDir"/> that <paramref name="annotationsPath"/> does not list (the evaluation set stays unseen).</summary>
    public static CalibrationSet NotAnnotated(string imagesDir, string annotationsPath)
    {
        var annotated = AnnotationIndex.Load(annotationsPath).Images.Select(i => Path.GetFileName(i.FileName)).ToHashSet(StringComparer.Ordinal);
        var images = ImageList.FromFolder(imagesDir).Select(i => i.Path).Where(p => !annotated.Contains(Path.GetFileName(p))).ToArray();
        if (images.Length == 0)
        {
            throw new RfcnPerfException(
                $"no calibration images: every image of {Path.GetFullPath(imagesDir)} is listed in {annotationsPath} (evaluation images are never used for calibration); pass --calibration DIR|LIST.txt");
        }

        return new CalibrationSet(images, $"the {images.Length} images of {Path.GetFullPath(imagesDir)} not listed in {Path.GetFileName(annotationsPath)}");
    }

    /// <summary>The first <paramref name="count"/> images (all when null or larger).</summary>
    public CalibrationSet Take(int? count)
    {
        if (count is not { } n || n >= Images.Count)
        {
            return this;
        }

        if (n < 1)
        {
            throw new RfcnPerfException($"--calibration-images expects a positive count, found {n}");
        }

        return new CalibrationSet(Images.Take(n).ToArray(), $"first {n} of {Description}");
    }

    /// <summary>sha256 over each image's file name and content sha256, in order: the set's identity for cache keys.</summary>
    public string Hash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var image in Images)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(image)}\n{FileHash.Sha256(image)}\n"));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
