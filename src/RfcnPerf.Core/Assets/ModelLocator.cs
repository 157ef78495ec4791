namespace RfcnPerf.Core.Assets;

/// <summary>What a <c>--model</c> argument named: a catalog model (fetched if needed) or a user's file.</summary>
/// <param name="Path">Verified local path of the .onnx file.</param>
/// <param name="Catalog">The catalog entry, or null for a user's own file.</param>
public sealed record LocatedModel(string Path, CatalogModel? Catalog)
{
    /// <summary>Display name: the catalog name, else the file name without extension.</summary>
    public string DisplayName => Catalog?.Name ?? System.IO.Path.GetFileNameWithoutExtension(Path);
}

/// <summary>Turns a <c>--model</c> argument (catalog name or path) into a local file.</summary>
public static class ModelLocator
{
    /// <summary>
    /// Resolves <paramref name="nameOrPath"/>: an existing file wins, then a catalog name; anything else is a
    /// user error listing the known names.
    /// </summary>
    public static LocatedModel Locate(string nameOrPath, AssetStore store, Action<string>? log = null)
    {
        if (File.Exists(nameOrPath))
        {
            var full = Path.GetFullPath(nameOrPath);
            var catalog = ModelCatalog.All.FirstOrDefault(m =>
                !m.IsDerived && new FileInfo(full).Length == m.SizeBytes && FileHash.Matches(full, m.SizeBytes, m.Sha256))
                ?? DerivedAt(full, store);
            return new LocatedModel(full, catalog);
        }

        if (ModelCatalog.Find(nameOrPath) is { } model)
        {
            return new LocatedModel(store.Resolve(model, log), model);
        }

        if (nameOrPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/', StringComparison.Ordinal))
        {
            throw new RfcnPerfException($"model file not found: {Path.GetFullPath(nameOrPath)}");
        }

        throw new RfcnPerfException(
            $"unknown model '{nameOrPath}': not a file and not a known model ({string.Join(", ", ModelCatalog.All.Select(m => m.Name))})");
    }

    /// <summary>
    /// The derived catalog model (cut graph, INT8 build) that <paramref name="path"/> is the cached build of, so a
    /// path into the cache reports under its catalog name; derived builds have no fixed sha256, so the store's own
    /// lookup for the candidates named like the file decides.
    /// </summary>
    private static CatalogModel? DerivedAt(string path, AssetStore store)
    {
        var derivedDir = Path.GetFullPath(Path.Combine(store.ModelsDir, "derived"));
        if (!string.Equals(Path.GetDirectoryName(path), derivedDir, StringComparison.Ordinal))
        {
            return null;
        }

        var file = Path.GetFileName(path);
        return ModelCatalog.All
            .Where(m => m.IsDerived && file.StartsWith(m.Name + "-", StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault(m => string.Equals(store.FindLocal(m) is { } local ? Path.GetFullPath(local) : null, path, StringComparison.Ordinal));
    }
}
