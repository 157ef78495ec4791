using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Tests.Support;

namespace RfcnPerf.Core.Tests;

public sealed class BatchTests
{
    /// <summary>
    /// NanoDet's graph fixes batch 1 (docs/MODELS.md §4). Until the ONNX batchify rewrite lands, batch 2 must be
    /// refused with a pointer to it; once it lands, change this test to expect a batchified copy instead.
    /// </summary>
    [Fact]
    public void Batch2_on_fixed_batch_nanodet_is_refused_until_batchify_lands()
    {
        var ex = Assert.Throws<RfcnPerfException>(() => DetectorSession.Open(MirrorModels.NanodetFp32Path, new SessionSettings(), 2));

        Assert.Contains("batchify", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fixed batch dimension of 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("batch 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_size_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DetectorSession.Open(MirrorModels.NanodetFp32Path, new SessionSettings(), 0));
    }
}
