using System.IO.Compression;
using System.Text.Json;
using RfcnPerf.Core.Assets;

namespace RfcnPerf.Core.Data;

/// <summary>One published archive of the COCO site and what to take out of it.</summary>
/// <param name="Download">URL, size and sha256.</param>
/// <param name="Entries">Prefix (folder) or exact path of the zip entries to extract.</param>
public sealed record CocoArchive(DownloadSpec Download, IReadOnlyList<string> Entries);

/// <summary>
/// <c>rfcnperf assets pull coco-val2017</c>: the official val2017 image zip and the 2017 annotations zip from the
/// COCO site, downloaded resumably, verified against the published sha256, and extracted into the standard layout
/// (<c>val2017/</c>, <c>annotations/instances_val2017.json</c>). A folder is complete only when the marker file is
/// there: extraction goes to a staging folder that is renamed into place, and the marker is written last, so an
/// interrupted pull never leaves a folder that looks finished.
/// </summary>
public static class CocoDownload
{
    /// <summary>Written last into a completed folder (the archives' sha256).</summary>
    public const string Marker = ".rfcnperf-coco-complete.json";

    /// <summary>The name <c>assets pull</c> knows the dataset by.</summary>
    public const string AssetName = "coco-val2017";

    /// <summary>
    /// The official archives. Sizes and sha256 as published in TensorFlow Datasets' checksum file
    /// (tensorflow/datasets, <c>tensorflow_datasets/url_checksums/coco.txt</c>); the COCO site itself publishes none.
    /// </summary>
    public static IReadOnlyList<CocoArchive> Official { get; } =
    [
        new(new DownloadSpec(new Uri("http://images.cocodataset.org/annotations/annotations_trainval2017.zip"), 252_907_541,
            "113a836d90195ee1f884e704da6304dfaaecff1f023f49b6ca93c4aaae470268"), ["annotations/instances_val2017.json"]),
        new(new DownloadSpec(new Uri("http://images.cocodataset.org/zips/val2017.zip"), 815_585_330,
            "4f7e2ccb2866ec5041993c9cf2a952bbed69647b115d0f74da7ce8f4bef82f05"), ["val2017/"]),
    ];

    /// <summary>Default target: <c>CACHE/coco</c>.</summary>
    public static string DefaultRoot(string cacheDir) => Path.Combine(cacheDir, "coco");

    /// <summary>The pulled folder under the cache when complete, else null.</summary>
    public static string? CompletedFolder(string cacheDir)
    {
        var root = DefaultRoot(cacheDir);
        return File.Exists(Path.Combine(root, Marker)) ? root : null;
    }

    /// <summary>
    /// Downloads (resuming), verifies and extracts <paramref name="archives"/> into <paramref name="root"/>.
    /// <paramref name="progress"/> receives (archive file name, bytes, total). Returns the root.
    /// </summary>
    public static string Pull(string root, IReadOnlyList<CocoArchive> archives, Action<string, long, long>? progress = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        root = Path.GetFullPath(root);
        if (File.Exists(Path.Combine(root, Marker)))
        {
            log?.Invoke($"{root} is already complete ({Marker})");
            return root;
        }

        var downloads = Path.Combine(root, ".download");
        try
        {
            Directory.CreateDirectory(downloads);
            using (File.Create(Path.Combine(downloads, ".write-test"), 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RfcnPerfException($"cannot write to {root}: {ex.Message}; choose a writable folder with --coco DIR", ex);
        }

        foreach (var target in new[] { "val2017", "annotations" })
        {
            if (Directory.Exists(Path.Combine(root, target)) && archives.Any(a => a.Entries.Any(e => e.StartsWith(target + "/", StringComparison.Ordinal))))
            {
                throw new RfcnPerfException($"{Path.Combine(root, target)} already exists but {root} was not completed by assets pull (no {Marker}); remove it or choose another --coco DIR");
            }
        }

        foreach (var archive in archives)
        {
            var zip = Path.Combine(downloads, archive.Download.FileName);
            log?.Invoke($"{archive.Download.FileName}: {archive.Download.Url} -> {zip}");
            HttpDownloader.Download(archive.Download, zip, (done, total) => progress?.Invoke(archive.Download.FileName, done, total), cancellationToken);
        }

        var staging = Path.Combine(root, ".staging");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        foreach (var archive in archives)
        {
            Extract(Path.Combine(downloads, archive.Download.FileName), archive.Entries, staging, cancellationToken);
        }

        foreach (var top in Directory.EnumerateDirectories(staging))
        {
            Directory.Move(top, Path.Combine(root, Path.GetFileName(top)));
        }

        Directory.Delete(staging, recursive: true);
        File.WriteAllText(Path.Combine(root, Marker), JsonSerializer.Serialize(
            archives.Select(a => new Dictionary<string, string> { ["url"] = a.Download.Url.ToString(), ["sha256"] = a.Download.Sha256 }).ToList()));
        foreach (var archive in archives)
        {
            File.Delete(Path.Combine(downloads, archive.Download.FileName));
        }

        Directory.Delete(downloads, recursive: true);
        return root;
    }

    private static void Extract(string zipPath, IReadOnlyList<string> entries, string staging, CancellationToken cancellationToken)
    {
        var stagingFull = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        var found = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            foreach (var entry in zip.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var wanted = entries.FirstOrDefault(e => e.EndsWith('/') ? entry.FullName.StartsWith(e, StringComparison.Ordinal) : entry.FullName == e);
                if (wanted is null || entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                var destination = Path.GetFullPath(Path.Combine(staging, entry.FullName));
                if (!destination.StartsWith(stagingFull, StringComparison.Ordinal))
                {
                    throw new RfcnPerfException($"{zipPath}: entry {entry.FullName} points outside the target folder");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                entry.ExtractToFile(destination, overwrite: true);
                found.Add(wanted);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RfcnPerfException($"{zipPath} is not a readable zip ({ex.Message}) although its sha256 matched", ex);
        }
        catch (IOException ex)
        {
            throw new RfcnPerfException($"extracting {zipPath} into {staging} failed: {ex.Message}", ex);
        }

        var missing = entries.Where(e => !found.Contains(e)).ToList();
        if (missing.Count > 0)
        {
            throw new RfcnPerfException($"{zipPath} holds no {string.Join(", ", missing)}");
        }
    }
}
