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
    public const string ModelName = "nanodet-m-416";

    private readonly TempDir cache = new();

    private readonly DetectorSession? session;
    private readonly DetectionPipeline? pipeline;

    /// <summary>Opens the model when the mirror is configured; otherwise every test using it skips (see <see cref="TestPaths.RequireNanodet"/>).</summary>
    public NanodetFixture()
    {
        if (TestPaths.ModelMirror is null)
        {
            ModelPath = string.Empty;
            return;
        }

        var store = new AssetStore(cache.Path, TestPaths.ModelMirror, allowNetwork: false);
        ModelPath = store.Resolve(ModelCatalog.Find(ModelName)!);
        session = DetectorSession.Open(ModelPath, new SessionSettings(), 1);
        pipeline = new DetectionPipeline(session.Default, CategoryMap.Coco80);
    }

    public string ModelPath { get; }

    public DetectorSession Session => Require(session);

    public DetectionPipeline Pipeline => Require(pipeline);

    public void Dispose()
    {
        pipeline?.Dispose();
        session?.Dispose();
        cache.Dispose();
    }

    private static T Require<T>(T? value)
        where T : class
    {
        TestPaths.RequireNanodet();
        return value!;
    }
}
