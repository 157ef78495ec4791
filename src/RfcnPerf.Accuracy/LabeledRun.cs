namespace RfcnPerf.Accuracy;

/// <summary>A run with the label tables and charts show for it (the model name, made unique when two runs share one).</summary>
/// <param name="Label">Column and legend label.</param>
/// <param name="Run">The run.</param>
public sealed record LabeledRun(string Label, ModelRun Run);
