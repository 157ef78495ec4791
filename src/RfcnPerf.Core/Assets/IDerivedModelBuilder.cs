namespace RfcnPerf.Core.Assets;

/// <summary>
/// Builds the derived catalog models of one <see cref="ModelDerivation"/> (<see cref="CatalogModel.DerivedFrom"/>):
/// the store only fetches, caches and verifies files, and calls the builder registered for a derivation
/// (<see cref="DerivedModels.Register"/>) when a derived file is missing. Core registers the cut of a decoding tail
/// itself; building a quantized model is registered by whoever can quantize (the CLI, the benchmark, their tests).
/// </summary>
public interface IDerivedModelBuilder
{
    /// <summary>The derivation this builder makes.</summary>
    ModelDerivation Derivation { get; }

    /// <summary>
    /// Everything besides the source file's sha256 that decides the build's bytes (options, calibration set, tool
    /// versions), as text: part of the cache key, so a change of any of them builds a new file. Throws
    /// <see cref="RfcnPerfException"/> naming what is missing when the build's inputs are not available here.
    /// </summary>
    string KeyInputs(CatalogModel model);

    /// <summary>Builds <paramref name="model"/> from <paramref name="sourcePath"/> into <paramref name="outputPath"/> (written atomically).</summary>
    void Build(CatalogModel model, string sourcePath, string outputPath, Action<string>? log);
}
