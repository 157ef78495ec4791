using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>
/// NanoDet-Plus FP32 from the offline mirror (through an AssetStore with an empty temporary cache), opened once
/// per test class: one session, one pipeline with the Coco80 map and the family's evaluation thresholds.
/// </summary>
public sealed class NanodetFixture : IDisposable
{
    public const string ModelName = "nanodet-plus-m-1.5x-416";

    private readonly TempDir cache = new();

    public NanodetFixture()
    {
        var store = new AssetStore(cache.Path, TestPaths.ModelMirror, allowNetwork: false);
        ModelPath = store.Resolve(ModelCatalog.Find(ModelName)!);
        Session = DetectorSession.Open(ModelPath, new SessionSettings(), 1);
        Pipeline = new DetectionPipeline(Session.Default, CategoryMap.Coco80);
    }

    public string ModelPath { get; }

    public DetectorSession Session { get; }

    public DetectionPipeline Pipeline { get; }

    public void Dispose()
    {
        Pipeline.Dispose();
        Session.Dispose();
        cache.Dispose();
    }
}
