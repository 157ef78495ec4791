using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RfcnPerf.Onnx;

/// <summary>Renders a <see cref="ModelInfo"/>: the text report of <c>rfcnperf model info</c> and its JSON form.</summary>
internal static class ModelInfoText
{
    /// <summary>The human-readable report printed by <c>rfcnperf model info</c>.</summary>
    public static string Format(ModelInfo info)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        void Line(string label, string text) => sb.Append(ci, $"{label,-13}{text}\n");

        Line("model", $"{info.Path} ({info.FileBytes.ToString("N0", ci)} bytes, sha256 {info.Sha256})");
        Line("format", $"ONNX IR {info.IrVersion}; opsets {string.Join(", ", info.Opsets)}");
        Line("producer", info.ProducerName.Length == 0 ? "(not recorded)" : $"{info.ProducerName} {info.ProducerVersion}".TrimEnd());
        if (info.Metadata.Count > 0)
        {
            Line("metadata", string.Join("; ", info.Metadata.Select(kv => $"{kv.Key}={Shorten(kv.Value, 80)}")));
        }

        for (var i = 0; i < info.Inputs.Count; i++)
        {
            Line(i == 0 ? "inputs" : "", info.Inputs[i].ToString());
        }

        if (info.InitializersListedAsInputs > 0)
        {
            Line(info.Inputs.Count == 0 ? "inputs" : "", $"(+{info.InitializersListedAsInputs} initializers also listed as graph inputs: parameters, not shown)");
        }

        for (var i = 0; i < info.Outputs.Count; i++)
        {
            Line(i == 0 ? "outputs" : "", info.Outputs[i].ToString());
        }

        if (RawHeadLayout.FromMetadata(info.Metadata.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value), info.Path) is { } head)
        {
            Line("head", $"raw yolov8 DFL head, decoding tail cut out of the graph (decoded in post-processing): output {head.Output}, " +
                         $"{head.Classes} classes, reg_max {head.RegMax}, levels {string.Join(", ", head.Levels.Select(l => $"{l.GridWidth}x{l.GridHeight}@{l.Stride}"))}");
        }

        Line("batch", info.BatchIsDynamic ? "dynamic (symbolic first input dimension)" : "fixed (`rfcnperf model batchify` can open it)");
        Line("nodes", $"{info.NodeCount}: {string.Join(", ", info.OpHistogram.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Line("parameters", $"{info.ParameterCount.ToString("N0", ci)} in {info.InitializerCount} initializers, {FormatBytes(info.ParameterBytes)}" +
                           (info.ExternalTensors > 0 ? $" ({info.ExternalTensors} stored in external files)" : ""));
        Line("quantization", info.Quantization switch
        {
            QuantizationFormat.QOperator => "QOperator (quantized operators: QLinearConv etc.)",
            QuantizationFormat.QDQ => "QDQ (QuantizeLinear/DequantizeLinear around float operators)",
            _ => "none",
        });

        var c = info.Compute;
        var totals = new List<string>();
        if (c.ByOp.Any(o => !o.Integer) || c.ByOp.Count == 0)
        {
            totals.Add($"{c.FloatGflops.ToString("F2", ci)} GFLOPs (float)");
        }

        if (c.ByOp.Any(o => o.Integer))
        {
            totals.Add($"{c.IntegerGops.ToString("F2", ci)} GOPs (integer)");
        }

        Line("compute", $"{string.Join(" + ", totals)} per image, 2 x multiply-adds of Conv/ConvTranspose/Gemm/MatMul and quantized forms");
        Line("", $"by op: {(c.ByOp.Count == 0 ? "(none)" : string.Join(", ", c.ByOp.Select(o => $"{o.OpType} x{o.Nodes} {o.GigaOps.ToString("F3", ci)}")))}");
        var how = $"from {c.Method} at batch {c.Batch}" + (c.Bindings.Count > 0 ? $" (bound: {string.Join(", ", c.Bindings)})" : "");
        Line("", how + (c.Complete
            ? "; all counted nodes resolved"
            : $"; {c.UnresolvedNodes.Count} node(s) unresolved, their work is missing (a lower bound): " +
              $"{string.Join(", ", c.UnresolvedNodes.Take(5))}{(c.UnresolvedNodes.Count > 5 ? ", ..." : "")}; bind symbolic dims with --dim NAME=VALUE"));
        return sb.ToString();
    }

    /// <summary>
    /// The report as indented JSON (numbers in shortest round-trip form). Strings are escaped for JSON only,
    /// not for embedding in HTML, so metadata such as Ultralytics' class names stays readable.
    /// </summary>
    public static string Json(ModelInfo info)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("path", info.Path);
            w.WriteNumber("fileBytes", info.FileBytes);
            w.WriteString("sha256", info.Sha256);
            w.WriteNumber("irVersion", info.IrVersion);
            w.WriteStartArray("opsets");
            foreach (var o in info.Opsets)
            {
                w.WriteStartObject();
                w.WriteString("domain", o.Domain);
                w.WriteNumber("version", o.Version);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("producerName", info.ProducerName);
            w.WriteString("producerVersion", info.ProducerVersion);
            w.WriteStartObject("metadata");
            foreach (var kv in info.Metadata)
            {
                w.WriteString(kv.Key, kv.Value);
            }

            w.WriteEndObject();
            WriteTensors(w, "inputs", info.Inputs);
            WriteTensors(w, "outputs", info.Outputs);
            w.WriteNumber("initializersListedAsInputs", info.InitializersListedAsInputs);
            w.WriteBoolean("batchIsDynamic", info.BatchIsDynamic);
            w.WriteNumber("nodeCount", info.NodeCount);
            w.WriteStartObject("opHistogram");
            foreach (var kv in info.OpHistogram)
            {
                w.WriteNumber(kv.Key, kv.Value);
            }

            w.WriteEndObject();
            w.WriteNumber("initializerCount", info.InitializerCount);
            w.WriteNumber("parameterCount", info.ParameterCount);
            w.WriteNumber("parameterBytes", info.ParameterBytes);
            w.WriteNumber("externalTensors", info.ExternalTensors);
            w.WriteString("quantization", info.Quantization.ToString());
            w.WriteStartObject("compute");
            w.WriteString("method", info.Compute.Method);
            w.WriteNumber("batch", info.Compute.Batch);
            w.WriteNumber("floatGflopsPerImage", info.Compute.FloatGflops);
            w.WriteNumber("integerGopsPerImage", info.Compute.IntegerGops);
            w.WriteBoolean("complete", info.Compute.Complete);
            w.WriteStartArray("byOp");
            foreach (var o in info.Compute.ByOp)
            {
                w.WriteStartObject();
                w.WriteString("opType", o.OpType);
                w.WriteNumber("nodes", o.Nodes);
                w.WriteNumber("gigaOpsPerImage", o.GigaOps);
                w.WriteBoolean("integer", o.Integer);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("bindings");
            foreach (var b in info.Compute.Bindings)
            {
                w.WriteStringValue(b);
            }

            w.WriteEndArray();
            w.WriteStartArray("unresolvedNodes");
            foreach (var n in info.Compute.UnresolvedNodes)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, IReadOnlyList<ModelTensorInfo> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("elementType", t.ElementType);
            if (t.Shape is null)
            {
                w.WriteNull("shape");
            }
            else
            {
                w.WriteStartArray("shape");
                foreach (var d in t.Shape)
                {
                    if (d.Value is { } v)
                    {
                        w.WriteNumberValue(v);
                    }
                    else if (d.Name is { } n)
                    {
                        w.WriteStringValue(n);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static string Shorten(string text, int max)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : string.Concat(oneLine.AsSpan(0, max - 3), "...");
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
