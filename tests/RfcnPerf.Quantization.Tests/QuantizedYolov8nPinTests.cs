using System.Globalization;
using System.Security.Cryptography;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Onnx;
using RfcnPerf.Quantization.Calibration;
using RfcnPerf.Quantization.Qdq;
using RfcnPerf.Testing;

namespace RfcnPerf.Quantization.Tests;

/// <summary>
/// The quantized yolov8n as <c>rfcnperf assets pull yolov8n-int8</c> builds it from the bundled sample (the cut
/// graph, the sample's 20 images its annotation file does not list, <see cref="QuantizedModelBuilder.DefaultOptions"/>),
/// pinned by sha256: moving the quantizer between projects, or upgrading ONNX Runtime, must not change a byte
/// for the same inputs.
/// <para>
/// Two pins, because the end-to-end file depends on the machine: calibration runs the FP32 graph through ONNX
/// Runtime, whose float kernels differ by CPU (MLAS picks AVX2, AVX-512 or AMX-era kernels with other summation
/// orders; the NCHWc convolutions of ORT_ENABLE_ALL are per ISA), and the JPEG decoder is libjpeg-turbo when the
/// system has it, else SkiaSharp. Any last-bit change of an activation moves the histogram (its radius is the
/// first image's exact maximum), so another CPU may calibrate slightly different ranges and write other bytes.
/// The quantizer itself (graph plan, weight and bias quantization, serialization) is plain .NET arithmetic, so
/// its output for fixed ranges is the same everywhere: <see cref="Quantizer_output_from_the_committed_ranges_is_pinned"/>
/// pins that on any machine; <see cref="End_to_end_build_is_pinned_where_calibration_reproduces_the_committed_ranges"/>
/// pins the whole build where calibration reproduces those ranges bit for bit (the AMD EPYC / AVX-512 VNNI machine
/// they were recorded on, ORT 1.31.1, libjpeg-turbo), and elsewhere checks the ranges are close and says why it
/// cannot pin the bytes.
/// </para>
/// </summary>
public sealed class QuantizedYolov8nPinTests
{
    /// <summary>sha256 of the cut yolov8n graph (the quantizer's source; built by Onnx's Yolov8TailCut, no ONNX Runtime).</summary>
    private const string CutSha256 = "9067179ab4b1edeadc2e8a817b21c13667cf39e73add261c1ee34be2564b9aff";

    /// <summary>
    /// sha256 of yolov8n-int8 built with the default options from the bundled sample's calibration images, recorded
    /// on ONNX Runtime 1.31.1 (AMD EPYC, AVX-512 VNNI) by <c>rfcnperf assets pull yolov8n-int8</c> before the
    /// quantizer moved, and the same from that command on ONNX Runtime 1.32.0 after the moves (calibration gave the same
    /// ranges bit for bit). The same bytes come from the quantizer fed the committed ranges (they were measured by that build).
    /// </summary>
    private const string Int8Sha256 = "e00e1e2296f78855ee6f900acefdae532bf5beaaf090b349de7e70868d30d728";

    /// <summary>
    /// How far a range bound calibrated on another machine may be from the committed one, as a fraction of the
    /// tensor's range width. Measured: calibrating through other float kernels (ORT_ENABLE_BASIC: im2col/sgemm
    /// convolutions instead of NCHWc, no activation fusion) changed 135 of the 196 ranges by at most 7.4e-7 of their
    /// width (the histogram's radius is the first image's exact maximum, so every bin edge moves with it). A bound
    /// can also jump a few of the 4,096 histogram bins where the 99.9999th-percentile tail is sparse; 1% allows that
    /// and still catches a wrong image set or pre-processing.
    /// </summary>
    private const double CrossCpuRangeTolerance = 0.01;

    private static string RangesPath => Path.Combine(TestPaths.RepoRoot, "tests", "data", "yolov8n-int8-calibration-ranges.tsv");

    private static CalibrationSet BundledCalibration() => CalibrationSet.NotAnnotated(
        Path.Combine(TestPaths.BundledSample, "val2017"), Path.Combine(TestPaths.BundledSample, "annotations", "instances_val2017.json"));

    [Fact]
    public void Cut_graph_is_pinned()
    {
        Assert.Equal(CutSha256, Sha256(File.ReadAllBytes(MirrorModels.Yolov8nPath)));
    }

    [Fact]
    public void Quantizer_output_from_the_committed_ranges_is_pinned()
    {
        var calibration = BundledCalibration();
        Assert.Equal(20, calibration.Images.Count);

        // The yolov8 family's tail rule, as ModelQuantizer resolves it from the graph's signature.
        var quantizer = QdqQuantizer.Prepare(MirrorModels.Yolov8nPath, QuantizedModelBuilder.DefaultOptions with { Tail = HeadTail.RawHeadBeforeDfl });
        var ranges = ReadRanges(RangesPath);
        Assert.Equal(quantizer.CalibrationTensors.Order(StringComparer.Ordinal), ranges.Keys.Order(StringComparer.Ordinal));

        var built = quantizer.BuildFromRanges(ranges, ModelQuantizer.Provenance(calibration.Hash(), calibration.Images.Count));

        Assert.Equal(Int8Sha256, Sha256(built.Bytes));
    }

    [SkippableFact]
    public void End_to_end_build_is_pinned_where_calibration_reproduces_the_committed_ranges()
    {
        using var dir = new TempDir();
        var output = dir.File("yolov8n-int8.onnx");
        var result = ModelQuantizer.Quantize(new QuantizeRequest(MirrorModels.Yolov8nPath, output, BundledCalibration(), QuantizedModelBuilder.DefaultOptions));

        var committed = ReadRanges(RangesPath);
        var received = Path.Combine(Path.GetTempPath(), "yolov8n-int8-calibration-ranges.received.tsv");
        Assert.True(
            committed.Keys.Order(StringComparer.Ordinal).SequenceEqual(result.CalibrationRanges.Keys.Order(StringComparer.Ordinal)),
            $"the calibrated tensors differ from the committed ones (calibrated ranges written to {WriteRanges(received, result.CalibrationRanges)})");
        var differing = committed.Where(kv => result.CalibrationRanges[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        if (differing.Count > 0)
        {
            WriteRanges(received, result.CalibrationRanges);
            foreach (var t in differing)
            {
                var (lo, hi) = committed[t];
                var (rlo, rhi) = result.CalibrationRanges[t];
                var width = Math.Max(hi - lo, double.Epsilon);
                Assert.True(
                    Math.Abs(rlo - lo) <= CrossCpuRangeTolerance * width && Math.Abs(rhi - hi) <= CrossCpuRangeTolerance * width,
                    $"tensor {t}: calibrated [{rlo:R}, {rhi:R}], committed [{lo:R}, {hi:R}] (all ranges written to {received})");
            }
        }

        Skip.If(differing.Count > 0,
            $"calibration on this machine ({ImagingDescription()}) gives {differing.Count} of {committed.Count} ranges that differ in their last bits from the " +
            "committed ones (float kernels or JPEG decoder differ from the machine they were recorded on), all within tolerance; the bytes for fixed ranges are pinned by the CPU-independent test");
        Assert.Equal(Int8Sha256, Sha256(File.ReadAllBytes(output)));
    }

    private static string ImagingDescription() => $"JPEG decoder {Core.Imaging.ImageDecoder.JpegDecoder}";

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>One line per calibrated tensor: name, lower and upper bound in round-trip form, tab-separated; # comments.</summary>
    private static Dictionary<string, (double Lo, double Hi)> ReadRanges(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToDictionary(
            f => f[0],
            f => (double.Parse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture), double.Parse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture)),
            StringComparer.Ordinal);

    private static string WriteRanges(string path, IReadOnlyDictionary<string, (double Lo, double Hi)> ranges)
    {
        File.WriteAllLines(path, new[]
            {
                "# yolov8n-int8 calibration ranges: the cut yolov8n graph, the bundled sample's 20 calibration images, default options (percentile 99.9999).",
                "# tensor\tlo\thi (round-trip doubles); written by QuantizedYolov8nPinTests when a calibration differs from the committed file.",
            }
            .Concat(ranges.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}\t{kv.Value.Lo:R}\t{kv.Value.Hi:R}"))));
        return path;
    }
}
