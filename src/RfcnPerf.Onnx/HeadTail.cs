namespace RfcnPerf.Onnx;

/// <summary>Which part of a detector's graph stays FP32 by default (its decoding tail), by a structural rule.</summary>
public enum HeadTail
{
    /// <summary>Quantize every supported node.</summary>
    None,

    /// <summary>
    /// Everything downstream of the raw head tensor [N, 4 x 16 + C, A] (16-bin distribution logits for 4 box
    /// sides plus C class logits per anchor, yolov8's DFL head): the DFL Softmax/Conv, box arithmetic and score
    /// Sigmoid, and the Concat/Reshape chain assembling it. C and A come from the single graph output [N, 4 + C, A];
    /// in a graph cut at its raw head (<see cref="Yolov8TailCut"/>) the raw head is the output its metadata names,
    /// and only that chain stays FP32.
    /// </summary>
    RawHeadBeforeDfl,

    /// <summary>Every node downstream of the last Conv on each path to a graph output (NanoDet's distribution and score maps).</summary>
    AfterLastConv,
}
