using RfcnPerf.Core.Models;

namespace RfcnPerf.Core.Tests.Support;

/// <summary>Hand-made model signatures: the real stand-ins' shapes and small synthetic ones.</summary>
internal static class Sig
{
    public static TensorSignature T(string name, string type, params long[] dims) => new(name, type, dims);

    /// <summary>Ultralytics yolov8n as ONNX Runtime reports it.</summary>
    public static ModelSignature Yolov8 { get; } = new(
        [T("images", "float", 1, 3, 640, 640)],
        [T("output0", "float", 1, 84, 8400)]);

    /// <summary>The OpenCV-zoo NanoDet-Plus 416 as ONNX Runtime reports it (score maps first, then box maps).</summary>
    public static ModelSignature NanodetReal { get; } = new(
        [T("input.1", "float", 1, 3, 416, 416)],
        [
            T("792", "float", 1, 2704, 80), T("814", "float", 1, 676, 80), T("836", "float", 1, 169, 80),
            T("795", "float", 1, 2704, 32), T("817", "float", 1, 676, 32), T("839", "float", 1, 169, 32),
        ]);

    /// <summary>A tf2onnx export of a tf-od-api graph, with or without the <c>:0</c> suffixes.</summary>
    public static ModelSignature TfOdApi(bool suffix, int detections = 100)
    {
        var s = suffix ? ":0" : string.Empty;
        return new(
            [T("image_tensor" + s, "uint8", 1, -1, -1, 3)],
            [
                T("detection_boxes" + s, "float", 1, detections, 4), T("detection_scores" + s, "float", 1, detections),
                T("detection_classes" + s, "float", 1, detections), T("num_detections" + s, "float", 1),
            ]);
    }

    /// <summary>
    /// A small NanoDet-like signature: input [1,3,size,size]; per stride a score map [1,cells,classes] and a
    /// box map [1,cells,4*bins], named <c>cls{stride}</c> and <c>reg{stride}</c>, in the order <paramref name="order"/>
    /// lists them (e.g. <c>cls8 cls16 reg8 reg16</c>).
    /// </summary>
    public static ModelSignature Nanodet(int size, int classes, int bins, params string[] order)
    {
        var outputs = order.Select(name =>
        {
            var stride = int.Parse(name[3..], System.Globalization.CultureInfo.InvariantCulture);
            var cells = (size / stride) * (size / stride);
            return T(name, "float", 1, cells, name.StartsWith("cls", StringComparison.Ordinal) ? classes : 4 * bins);
        }).ToArray();
        return new([T("input.1", "float", 1, 3, size, size)], outputs);
    }
}
