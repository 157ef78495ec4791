namespace RfcnPerf.Core.Models;

/// <summary>The detector families whose pre- and post-processing RfcnPerf knows (docs/MODELS.md §2).</summary>
public enum ModelFamily
{
    /// <summary>Ultralytics YOLOv8 export: float NCHW 640, one [N,84,A] output, NMS outside the graph.</summary>
    Yolov8,

    /// <summary>NanoDet-Plus: float NCHW BGR normalised, per-stride score and GFL distribution maps.</summary>
    NanodetPlus,

    /// <summary>TensorFlow Object Detection API export (R-FCN, Faster R-CNN, SSD): uint8 NHWC, NMS inside.</summary>
    TfOdApi,
}
