namespace RfcnPerf.Bench.Reporting;

/// <summary>One inference case on the roofline.</summary>
/// <param name="Series">The model variant, e.g. <c>yolov8n INT8</c>: one colour and one legend entry per series.</param>
/// <param name="Int8">Compared with the INT8 compute roof (else the FP32 one).</param>
/// <param name="Intensity">Operations per byte moved by the traffic estimate (<see cref="RfcnPerf.Onnx.ComputeEstimate.Intensity"/>).</param>
/// <param name="AchievedGops">Achieved 10^9 operations per second.</param>
/// <param name="Configuration">The case's session configuration, for the legend.</param>
internal sealed record RooflinePoint(string Series, bool Int8, double Intensity, double AchievedGops, string Configuration);
