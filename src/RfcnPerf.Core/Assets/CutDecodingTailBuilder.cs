using RfcnPerf.Core.Models;

namespace RfcnPerf.Core.Assets;

/// <summary>
/// Builds a catalog model whose family's decoding tail is cut out of the graph (<see cref="DecodingTail"/>): graph
/// work only, so Core registers it itself and every user of the store (test fixtures included) gets the cut yolov8.
/// </summary>
internal sealed class CutDecodingTailBuilder : IDerivedModelBuilder
{
    public ModelDerivation Derivation => ModelDerivation.CutDecodingTail;

    public string KeyInputs(CatalogModel model) => $"cut decoding tail {model.Family.ToName()} v{DecodingTail.CutVersion(model.Family)}";

    public void Build(CatalogModel model, string sourcePath, string outputPath, Action<string>? log)
    {
        var layout = DecodingTail.Cut(model.Family, sourcePath, outputPath);
        log?.Invoke($"built {model.Name}: {model.DerivedFrom} cut at its raw head {layout.Output} [N,{layout.Channels},{layout.Anchors}] (decoded in post-processing); {outputPath}");
    }
}
