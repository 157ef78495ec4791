using RfcnPerf.Core.Assets;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>Verified paths of the offline mirror's models (read in place, never copied into the repo).</summary>
internal static class MirrorModels
{
    public static CatalogModel NanodetFp32 => ModelCatalog.Find(NanodetFixture.ModelName)!;

    public static string NanodetFp32Path =>
        MirrorOnlyStore().FindLocal(NanodetFp32)
        ?? throw new InvalidOperationException($"{NanodetFp32.FileName} with the catalog's sha256 is not under {TestPaths.ModelMirror} (RFCNPERF_ASSET_MIRROR)");

    /// <summary>A store whose cache folder does not exist, so only the mirror can answer.</summary>
    public static AssetStore MirrorOnlyStore() =>
        new(Path.Combine(Path.GetTempPath(), "rfcnperf-coretests-no-cache-" + Guid.NewGuid().ToString("N")), TestPaths.ModelMirror, allowNetwork: false);
}
