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
                new FileInfo(full).Length == m.SizeBytes && FileHash.Matches(full, m.SizeBytes, m.Sha256));
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
}
