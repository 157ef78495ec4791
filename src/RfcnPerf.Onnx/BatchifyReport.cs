namespace RfcnPerf.Onnx;

/// <summary>What <see cref="OnnxBatchify.Batchify"/> changed.</summary>
/// <param name="AlreadyDynamic">True when every input already had a symbolic first dimension (nothing rewritten).</param>
/// <param name="ReshapesRewritten">Reshape nodes whose constant target shape got a leading 0 instead of 1.</param>
/// <param name="ResizesRewritten">Resize nodes whose constant output sizes (fixing the batch at 1) were replaced by the equivalent scales.</param>
/// <param name="ValueInfoDropped">Stale intermediate shape annotations removed.</param>
/// <param name="Inputs">Graph inputs that now have the symbolic batch dimension.</param>
/// <param name="Outputs">Graph outputs that now have the symbolic batch dimension.</param>
public sealed record BatchifyReport(bool AlreadyDynamic, int ReshapesRewritten, int ResizesRewritten, int ValueInfoDropped, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
{
    /// <summary>One line for the CLI.</summary>
    public string Summary() => AlreadyDynamic
        ? $"batch is already dynamic on {string.Join(", ", Inputs)}; nothing to rewrite"
        : $"batch dimension '{OnnxBatchify.BatchDimName}' on {Inputs.Count} input(s) and {Outputs.Count} output(s); " +
          $"{ReshapesRewritten} Reshape target(s) 1 -> 0; {ResizesRewritten} Resize sizes -> scales; {ValueInfoDropped} stale value_info dropped; verified at batch 1 and 2 by static shape inference";
}
