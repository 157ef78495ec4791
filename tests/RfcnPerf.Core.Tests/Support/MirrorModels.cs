using RfcnPerf.Core.Assets;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>Verified paths of the offline mirror's models (read in place, never copied into the repo).</summary>
internal static class MirrorModels
{
    public static CatalogModel NanodetFp32 => ModelCatalog.Find(NanodetFixture.ModelName)!;

    public static string NanodetFp32Path => RequireMirror().FindLocal(NanodetFp32)
        ?? throw new InvalidOperationException($"{NanodetFp32.FileName} with the catalog's sha256 is not under {TestPaths.ModelMirror} (RFCNPERF_ASSET_MIRROR)");

    /// <summary>yolov8n through the environment's store (cache, mirror, else npm): what a fresh machine has.</summary>
    public static string Yolov8nPath => Yolo.Value;

    /// <summary>yolov8n as published (decoding tail inside the graph).</summary>
    public static string Yolov8nUncutPath => YoloUncut.Value;

    private static readonly Lazy<string> Yolo = new(() => AssetStore.FromEnvironment().Resolve(ModelCatalog.Find("yolov8n")!));

    private static readonly Lazy<string> YoloUncut = new(() => AssetStore.FromEnvironment().Resolve(ModelCatalog.Find("yolov8n-uncut")!));

    /// <summary>Skips the calling test unless the mirror is configured; returns the mirror-only store.</summary>
    public static AssetStore RequireMirror()
    {
        TestPaths.RequireNanodet();
        return MirrorOnlyStore();
    }

    /// <summary>A store whose cache folder does not exist, so only the mirror can answer.</summary>
    public static AssetStore MirrorOnlyStore() =>
        new(Path.Combine(Path.GetTempPath(), "rfcnperf-coretests-no-cache-" + Guid.NewGuid().ToString("N")), TestPaths.ModelMirror, allowNetwork: false);
}
