using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RfcnPerf.Core.Assets;

/// <summary>
/// The catalog's derived models (<see cref="CatalogModel.DerivedFrom"/>), built on demand by the builder registered
/// for their <see cref="ModelDerivation"/> and cached as <c>models/derived/&lt;name&gt;-&lt;key&gt;.onnx</c>, where
/// the key hashes the source's sha256 and the builder's <see cref="IDerivedModelBuilder.KeyInputs"/>: a change of
/// any input builds a new file and an unchanged one is reused.
/// </summary>
public static class DerivedModels
{
    private static readonly ConcurrentDictionary<ModelDerivation, IDerivedModelBuilder> Builders = new()
    {
        [ModelDerivation.CutDecodingTail] = new CutDecodingTailBuilder(),
    };

    /// <summary>Registers the builder of its derivation (replacing an earlier one); idempotent for the same builder.</summary>
    public static void Register(IDerivedModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Builders[builder.Derivation] = builder;
    }

    /// <summary>Where the build of <paramref name="model"/> from a source with <paramref name="sourceSha256"/> is (or will be) cached.</summary>
    public static string CachePath(AssetStore store, CatalogModel model, string sourceSha256) =>
        KeyedPath(store, model, $"{sourceSha256}\n{Builder(model).KeyInputs(model)}");

    /// <summary>The cached build, or null when it was not built yet (or its inputs, or its builder, are not available).</summary>
    public static string? FindLocal(AssetStore store, CatalogModel model)
    {
        var source = ModelCatalog.Find(model.DerivedFrom!);
        if (source is null || store.FindLocal(source) is not { } sourcePath || !Builders.ContainsKey(model.Derivation))
        {
            return null;
        }

        try
        {
            var path = CachePath(store, model, SourceSha256(source, sourcePath));
            return File.Exists(path) ? path : null;
        }
        catch (RfcnPerfException)
        {
            return null;
        }
    }

    /// <summary>Returns the cached build, building it first (source fetched or built if needed) when missing.</summary>
    public static string Resolve(AssetStore store, CatalogModel model, Action<string>? log)
    {
        var source = ModelCatalog.Find(model.DerivedFrom!) ?? throw new RfcnPerfException($"{model.Name}: its source model {model.DerivedFrom} is not in the catalog");
        var builder = Builder(model);
        var sourcePath = store.Resolve(source, log);
        var path = CachePath(store, model, SourceSha256(source, sourcePath));
        if (!File.Exists(path))
        {
            builder.Build(model, sourcePath, path, log);
        }

        return path;
    }

    private static IDerivedModelBuilder Builder(CatalogModel model) =>
        Builders.TryGetValue(model.Derivation, out var builder)
            ? builder
            : throw new RfcnPerfException($"{model.Name} is built by RfcnPerf ({model.SourceDescription}), and this program has no builder for it registered; build it with `rfcnperf` or pass --model PATH.onnx");

    /// <summary>
    /// The sha256 of <paramref name="sourcePath"/>: a published catalog file was just verified against its catalog
    /// sha256 by the store (cache, mirror or fetch), so that is its hash without reading it again; a derived source
    /// (the cut graph an INT8 build starts from) has no fixed hash and is hashed.
    /// </summary>
    private static string SourceSha256(CatalogModel source, string sourcePath) =>
        source.IsDerived ? FileHash.Sha256(sourcePath) : source.Sha256.ToLowerInvariant();

    private static string KeyedPath(AssetStore store, CatalogModel model, string inputs)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs)))[..16];
        return Path.Combine(store.ModelsDir, "derived", $"{model.Name}-{key}.onnx");
    }
}
