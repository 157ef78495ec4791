using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Inference;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Core.Tests.Support;
using RfcnPerf.Onnx;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

/// <summary>
/// The head of a yolov8 graph cut at its raw head: DFL decoding against hand-computed values, recognition by
/// metadata (never by shape), and detections equal to the uncut graph's on the small stand-in and on real
/// yolov8n over COCO images.
/// </summary>
public sealed class Yolov8RawHeadTests
{
    /// <summary>
    /// Cut vs uncut boxes, in input or source pixels: the uncut graph computes the DFL softmax and expectation
    /// with ONNX Runtime's vectorised exp and a 1x1 Conv, the head with MathF.Exp and a sequential sum, so boxes
    /// agree to float rounding (measured on yolov8n over the 212-image subset: at most 0.00025 px), not bit for bit.
    /// </summary>
    private const float BoxTolerance = 0.01f;

    /// <summary>Scores: sigmoid by ONNX Runtime vs 1 / (1 + MathF.Exp(-x)); measured at most 1.5e-7.</summary>
    private const float ScoreTolerance = 1e-5f;

    private static readonly CategoryMap TwoClasses = CategoryMap.FromCategories([(1, "a"), (2, "b")]);

    private static RawHeadLayout EightByEight => new("raw", 2, 16, [new HeadLevel(8, 8, 128)], 0.5);

    [Fact]
    public void Decode_computes_the_dfl_expectations_and_the_anchor_box_by_hand()
    {
        // Input 1024x1024, one 8x8 level of stride 128, 2 classes: raw head [1, 66, 64]. Only anchor 27 (cell 3, 3,
        // anchor point (3.5, 3.5) cells) has classes above 0.25.
        const int anchors = 64, anchor = 27;
        var data = new float[66 * anchors];
        void Set(int side, int bin, float v) => data[(((side * 16) + bin) * anchors) + anchor] = v;
        for (var side = 0; side < 4; side++)
        {
            for (var bin = 0; bin < 16; bin++)
            {
                Set(side, bin, -100);
            }
        }

        Set(0, 0, 0);                    // left: softmax (1/4, 3/4) over bins 0, 1 -> 0.75
        Set(0, 1, MathF.Log(3));
        Set(1, 1, 0);                    // top: bins 1 and 3 equally likely -> 2
        Set(1, 3, 0);
        for (var bin = 0; bin < 16; bin++)
        {
            Set(2, bin, bin == 4 ? 10 : 0);  // right: (4 e^10 + (0 + ... + 15 - 4)) / (e^10 + 15)
            Set(3, bin, bin == 0 ? 10 : 0);  // bottom: (1 + ... + 15) / (e^10 + 15) = 120 / (e^10 + 15)
        }

        for (var a = 0; a < anchors; a++)
        {
            data[(64 * anchors) + a] = a == anchor ? 1f : -10f;  // class 0: sigmoid(1) = 0.7311
            data[(65 * anchors) + a] = a == anchor ? -1f : -10f; // class 1: sigmoid(-1) = 0.2689, multi-label
        }

        var head = new Yolov8RawHead(1024, 1024, EightByEight);
        var into = new List<Detection>();
        head.Decode(new ModelOutputs(["raw"], [data], [[1, 66, anchors]]), 0, LetterboxGeometry.Compute(1024, 1024, 1024, 1024, ResizeMode.LetterboxCentered),
            new PostprocessOptions(0.25f, 0.7f, 300), TwoClasses, into);

        var e10 = Math.Exp(10);
        double left = 0.75, top = 2, right = ((4 * e10) + 116) / (e10 + 15), bottom = 120 / (e10 + 15);
        double x1 = (3.5 - left) * 128, y1 = (3.5 - top) * 128, x2 = (3.5 + right) * 128, y2 = (3.5 + bottom) * 128;
        Assert.Equal(2, into.Count);
        Assert.Equal((1, 2), (into[0].CategoryId, into[1].CategoryId));
        Assert.Equal(1 / (1 + Math.Exp(-1)), into[0].Score, 1e-6);
        Assert.Equal(1 / (1 + Math.Exp(1)), into[1].Score, 1e-6);
        foreach (var d in into)
        {
            Assert.Equal(x1, d.X, 1e-3);
            Assert.Equal(y1, d.Y, 1e-3);
            Assert.Equal(x2 - x1, d.Width, 1e-3);
            Assert.Equal(y2 - y1, d.Height, 1e-3);
        }
    }

    [Theory]
    // The logit pre-test must not change Ultralytics' strict conf > threshold: sigmoid(0) = 0.5 exactly,
    // sigmoid(0.1) = 0.525.
    [InlineData(0.5f, 1)]
    [InlineData(0.4999f, 2)]
    [InlineData(0.53f, 0)]
    [InlineData(1f, 0)]
    public void The_threshold_is_strictly_greater_on_the_sigmoid(float threshold, int expected)
    {
        var data = new float[66 * 64];
        Array.Fill(data, -30f, 64 * 64, 2 * 64);
        data[64 * 64] = 0f; // anchor 0, class 0
        data[(65 * 64) + 1] = 0.1f; // anchor 1, class 1
        var head = new Yolov8RawHead(1024, 1024, EightByEight);
        var into = new List<Detection>();

        head.Decode(new ModelOutputs(["raw"], [data], [[1, 66, 64]]), 0, LetterboxGeometry.Compute(1024, 1024, 1024, 1024, ResizeMode.LetterboxCentered),
            new PostprocessOptions(threshold, 0.7f, 300), TwoClasses, into);

        Assert.Equal(expected, into.Count);
    }

    [Fact]
    public void The_resolver_recognises_a_cut_model_by_its_metadata_not_its_shape()
    {
        var layout = new RawHeadLayout("/model.22/Concat_3_output_0", 80, 16, [new HeadLevel(80, 80, 8), new HeadLevel(40, 40, 16), new HeadLevel(20, 20, 32)], 0.5);
        var raw = new ModelSignature([Sig.T("images", "float", 1, 3, 640, 640)], [Sig.T(layout.Output, "float", 1, 144, 8400)]);
        var declared = raw with { Metadata = layout.ToMetadata().ToDictionary(kv => kv.Key, kv => kv.Value) };

        var cut = Assert.IsType<Yolov8RawHead>(FamilyResolver.Resolve(declared, null, "yolov8n"));
        var uncut = Assert.IsType<Yolov8Head>(FamilyResolver.Resolve(Sig.Yolov8, null, "yolov8n-uncut"));

        Assert.Equal(80, cut.ClassCount);
        Assert.Equal(80, uncut.ClassCount);
        Assert.Equal(ModelFamily.Yolov8, cut.Family);
        float[] none = [];
        Assert.Equal(uncut.Preprocess with { Mean = none, Std = none }, cut.Preprocess with { Mean = none, Std = none });
        Assert.Equal(uncut.Preprocess.Std, cut.Preprocess.Std);

        // A declared raw head is never read as a decoded output, whatever its shape; an undeclared [1,144,A]
        // can only be taken for what its shape says (140 decoded classes).
        Assert.Null(Yolov8Head.TryCreate(declared));
        Assert.Equal(140, Assert.IsType<Yolov8Head>(FamilyResolver.Resolve(raw, null, "undeclared")).ClassCount);
    }

    [Fact]
    public void A_declared_raw_head_whose_output_disagrees_with_the_metadata_fits_no_family()
    {
        var layout = new RawHeadLayout("raw", 80, 16, [new HeadLevel(80, 80, 8)], 0.5);
        var wrong = new ModelSignature([Sig.T("images", "float", 1, 3, 640, 640)], [Sig.T("raw", "float", 1, 144, 8400)])
        {
            Metadata = layout.ToMetadata().ToDictionary(kv => kv.Key, kv => kv.Value),
        };

        var ex = Assert.Throws<RfcnPerfException>(() => FamilyResolver.Resolve(wrong, null, "broken"));

        Assert.Contains("rfcnperf.head=yolov8-dfl-raw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_head_metadata_is_a_user_error()
    {
        var bad = new ModelSignature([Sig.T("images", "float", 1, 3, 640, 640)], [Sig.T("raw", "float", 1, 144, 8400)])
        {
            Metadata = new Dictionary<string, string> { ["rfcnperf.head"] = "yolov9-something" },
        };

        var ex = Assert.Throws<RfcnPerfException>(() => FamilyResolver.Resolve(bad, null, "m"));

        Assert.Contains("'yolov9-something'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cut_stand_in_detects_what_the_uncut_stand_in_detects()
    {
        using var dir = new TempDir();
        var uncut = dir.File("yolo.onnx");
        var cut = dir.File("yolo-cut.onnx");
        OnnxGraphBuilder.Yolov8(size: 32, classes: 2, seed: 5).Save(uncut);
        DecodingTail.Cut(ModelFamily.Yolov8, uncut, cut);
        var images = Directory.EnumerateFiles(TestPaths.CocoImages, "*.jpg").Order(StringComparer.Ordinal).Take(3).Select(ImageDecoder.Decode).ToArray();
        try
        {
            var expected = Detect(uncut, images, TwoClasses);
            var actual = Detect(cut, images, TwoClasses);

            Assert.True(expected.Sum(d => d.Count) > 10);
            AssertSameDetections(expected, actual);
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    [Fact]
    public void Cut_yolov8n_detects_what_uncut_yolov8n_detects_on_coco_images()
    {
        var images = Directory.EnumerateFiles(TestPaths.CocoImages, "*.jpg").Order(StringComparer.Ordinal).Take(4).Select(ImageDecoder.Decode).ToArray();
        try
        {
            var expected = Detect(MirrorModels.Yolov8nUncutPath, images, CategoryMap.Coco80);
            var actual = Detect(MirrorModels.Yolov8nPath, images, CategoryMap.Coco80);

            Assert.True(expected.Sum(d => d.Count) > 100); // score threshold 0.001: hundreds of detections per image
            AssertSameDetections(expected, actual);
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    private static List<List<Detection>> Detect(string model, DecodedImage[] images, CategoryMap categories)
    {
        using var session = DetectorSession.Open(model, new SessionSettings(), 1);
        using var pipeline = new DetectionPipeline(session.Default, categories);
        return images.Select(i => pipeline.Detect([i]).Item1[0]).ToList();
    }

    /// <summary>
    /// Same detections per image: equal count, and each expected detection has one of the same category with score
    /// and box within tolerance (order may differ where two scores differ only by float rounding).
    /// </summary>
    private static void AssertSameDetections(List<List<Detection>> expected, List<List<Detection>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Count, actual[i].Count);
            var unmatched = actual[i].ToList();
            foreach (var e in expected[i])
            {
                var match = unmatched.FindIndex(a => a.CategoryId == e.CategoryId && Math.Abs(a.Score - e.Score) <= ScoreTolerance
                    && Math.Abs(a.X - e.X) <= BoxTolerance && Math.Abs(a.Y - e.Y) <= BoxTolerance
                    && Math.Abs(a.Width - e.Width) <= BoxTolerance && Math.Abs(a.Height - e.Height) <= BoxTolerance);
                Assert.True(match >= 0, $"image {i}: no cut detection matches {e}");
                unmatched.RemoveAt(match);
            }
        }
    }
}
