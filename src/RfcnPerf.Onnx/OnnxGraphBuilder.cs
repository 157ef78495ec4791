using System.Globalization;
using RfcnPerf.Onnx.Proto;

namespace RfcnPerf.Onnx;

/// <summary>
/// Builds small ONNX models for tests: inputs and outputs with chosen element types and (symbolic) shapes,
/// initializers, Constant nodes and any op, saved to bytes or a file that ONNX Runtime loads.
/// <see cref="TfOdApi"/> builds a stand-in for the TensorFlow Object Detection API family.
/// </summary>
/// <remarks>
/// The builder does not validate: tests also use it to build deliberately malformed graphs (a dangling node
/// input, a computed Reshape shape). Loading a model through RfcnPerf validates it.
/// </remarks>
/// <example>
/// <code>
/// var bytes = new OnnxGraphBuilder()
///     .Input("x", OnnxElementType.Float, "batch", 3)
///     .Initializer("w", new float[] { 1, 2, 3 }, 3)
///     .Node("Add", ["x", "w"], ["y"])
///     .Output("y", OnnxElementType.Float, "batch", 3)
///     .ToBytes();
/// </code>
/// </example>
internal sealed class OnnxGraphBuilder
{
    private readonly ModelProto model;
    private readonly List<TensorProto> initializers = [];

    /// <summary>Starts an empty graph importing the default ONNX domain at <paramref name="opset"/>.</summary>
    public OnnxGraphBuilder(string graphName = "rfcnperf_test", long opset = 17, long irVersion = 8)
    {
        model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "rfcnperf-test",
            ProducerVersion = "1",
            Graph = new GraphProto { Name = graphName },
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    /// <summary>
    /// List every initializer as a graph input too, as older PyTorch exporters did (NanoDet's files): the
    /// initializers then become overridable inputs and must not be reported as model inputs.
    /// </summary>
    public bool ListInitializersAsInputs { get; set; }

    /// <summary>Imports another operator-set domain (e.g. "com.microsoft", 1).</summary>
    public OnnxGraphBuilder Opset(string domain, long version)
    {
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    /// <summary>Adds a graph input.</summary>
    public OnnxGraphBuilder Input(string name, OnnxElementType type, params OnnxDim[] shape)
    {
        model.Graph.Input.Add(ValueInfo(name, type, shape));
        return this;
    }

    /// <summary>Adds a graph output.</summary>
    public OnnxGraphBuilder Output(string name, OnnxElementType type, params OnnxDim[] shape)
    {
        model.Graph.Output.Add(ValueInfo(name, type, shape));
        return this;
    }

    /// <summary>Adds a graph output declared with an element type but no shape (ONNX Runtime infers it).</summary>
    public OnnxGraphBuilder OutputOfUnknownShape(string name, OnnxElementType type)
    {
        var value = ValueInfo(name, type, []);
        value.Type.TensorType.Shape = null;
        model.Graph.Output.Add(value);
        return this;
    }

    /// <summary>Adds a float initializer (a constant tensor stored in the graph).</summary>
    public OnnxGraphBuilder Initializer(string name, float[] values, params long[] dims)
    {
        initializers.Add(FloatTensor(name, values, dims));
        return this;
    }

    /// <summary>Adds an int64 initializer (e.g. a Reshape target shape).</summary>
    public OnnxGraphBuilder Initializer(string name, long[] values, params long[] dims)
    {
        initializers.Add(Int64Tensor(name, values, dims));
        return this;
    }

    /// <summary>
    /// Adds an initializer of any fixed-size element type from raw little-endian bytes (e.g. uint8/int8
    /// quantized weights, one byte per element).
    /// </summary>
    public OnnxGraphBuilder Initializer(string name, OnnxElementType type, byte[] rawData, params long[] dims)
    {
        var bits = ElementTypes.Bits((int)type);
        if (bits == 0 || TensorFacts.Product(dims) * bits != rawData.LongLength * 8)
        {
            throw new ArgumentException($"Tensor '{name}' of {type} with dims [{string.Join(",", dims)}] does not fit {rawData.Length} bytes.", nameof(rawData));
        }

        var t = new TensorProto { Name = name, DataType = (int)type, RawData = Google.Protobuf.ByteString.CopyFrom(rawData) };
        t.Dims.AddRange(dims);
        initializers.Add(t);
        return this;
    }

    /// <summary>
    /// Adds a float initializer whose values live in an external file (<c>data_location</c> EXTERNAL, as models
    /// over 2 GB are saved); the file itself is not written. For tests of the refusals.
    /// </summary>
    public OnnxGraphBuilder ExternalInitializer(string name, string location, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange(dims);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        initializers.Add(t);
        return this;
    }

    /// <summary>Adds a Constant node producing a float tensor named <paramref name="output"/>.</summary>
    public OnnxGraphBuilder Constant(string output, float[] values, params long[] dims) =>
        Node("Constant", [], [output], OnnxAttribute.Tensor("value", FloatTensor("", values, dims)));

    /// <summary>Adds a Constant node producing an int64 tensor named <paramref name="output"/>.</summary>
    public OnnxGraphBuilder Constant(string output, long[] values, params long[] dims) =>
        Node("Constant", [], [output], OnnxAttribute.Tensor("value", Int64Tensor("", values, dims)));

    /// <summary>Adds a node of the default domain; nodes must be added in topological order.</summary>
    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes) =>
        Node("", opType, inputs, outputs, attributes);

    /// <summary>Adds a node of operator-set <paramref name="domain"/> (e.g. "com.microsoft").</summary>
    public OnnxGraphBuilder Node(string domain, string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        var node = new NodeProto
        {
            OpType = opType,
            Domain = domain,
            Name = string.Create(CultureInfo.InvariantCulture, $"{opType}_{model.Graph.Node.Count}"),
        };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(a => a.ToProto()));
        model.Graph.Node.Add(node);
        return this;
    }

    /// <summary>Identity: <paramref name="output"/> = <paramref name="input"/>.</summary>
    public OnnxGraphBuilder Identity(string input, string output) => Node("Identity", [input], [output]);

    /// <summary>Relu activation.</summary>
    public OnnxGraphBuilder Relu(string input, string output) => Node("Relu", [input], [output]);

    /// <summary>Elementwise (broadcasting) addition.</summary>
    public OnnxGraphBuilder Add(string a, string b, string output) => Node("Add", [a, b], [output]);

    /// <summary>Reshape <paramref name="data"/> to the int64 tensor named <paramref name="shape"/>.</summary>
    public OnnxGraphBuilder Reshape(string data, string shape, string output) => Node("Reshape", [data, shape], [output]);

    /// <summary>Concatenation along <paramref name="axis"/>.</summary>
    public OnnxGraphBuilder Concat(string output, long axis, params string[] inputs) =>
        Node("Concat", inputs, [output], OnnxAttribute.Int("axis", axis));

    /// <summary>2-D convolution of NCHW <paramref name="x"/> with weights [M, C/group, kH, kW] and optional bias.</summary>
    public OnnxGraphBuilder Conv(string x, string w, string? bias, string output, long stride = 1, long pad = 0, long group = 1) =>
        Node("Conv", bias is null ? [x, w] : [x, w, bias], [output],
            OnnxAttribute.Ints("strides", stride, stride), OnnxAttribute.Ints("pads", pad, pad, pad, pad), OnnxAttribute.Int("group", group));

    /// <summary>Adds a metadata_props entry.</summary>
    public OnnxGraphBuilder Metadata(string key, string value)
    {
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    /// <summary>The serialized model (not validated; see the class remarks).</summary>
    public byte[] ToBytes() => OnnxModelFile.ToBytes(Build());

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public void Save(string path) => OnnxModelFile.Save(Build(), path);

    /// <summary>
    /// A model with the tf-od-api contract (docs/MODELS.md section 2): uint8 input <c>image_tensor</c>
    /// [1, height, width, 3] with symbolic height and width; outputs <c>detection_boxes</c> float [1, N, 4]
    /// (ymin, xmin, ymax, xmax, normalised), <c>detection_scores</c> [1, N], <c>detection_classes</c> [1, N]
    /// float (1-based COCO ids) and <c>num_detections</c> [1] float. The outputs are the known constants of
    /// <see cref="TfOdApiGraphOptions.Detections"/>, zero-padded to N; <c>num_detections</c> is computed as
    /// (batch size of the image, from its shape) x count, so the graph really consumes its input.
    /// </summary>
    public static OnnxGraphBuilder TfOdApi(TfOdApiGraphOptions? options = null)
    {
        options ??= new TfOdApiGraphOptions();
        var dets = options.Detections;
        var n = options.PaddedTo ?? dets.Count;
        if (n < dets.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(options), n, $"PaddedTo must be at least the {dets.Count} detections.");
        }

        string Name(string tensor) => options.Tf2OnnxNames ? tensor + ":0" : tensor;

        var boxes = new float[n * 4];
        var scores = new float[n];
        var classes = new float[n];
        for (var i = 0; i < dets.Count; i++)
        {
            (boxes[4 * i], boxes[(4 * i) + 1], boxes[(4 * i) + 2], boxes[(4 * i) + 3]) = (dets[i].YMin, dets[i].XMin, dets[i].YMax, dets[i].XMax);
            scores[i] = dets[i].Score;
            classes[i] = dets[i].ClassId;
        }

        var image = Name("image_tensor");
        return new OnnxGraphBuilder("tf_od_api_stand_in", options.Opset)
            .Input(image, OnnxElementType.UInt8, 1, options.HeightDim, options.WidthDim, 3)
            .Constant("boxes_const", boxes, 1, n, 4)
            .Constant("scores_const", scores, 1, n)
            .Constant("classes_const", classes, 1, n)
            .Constant("count_const", [(float)dets.Count], 1)
            .Constant("batch_start", [0L], 1)
            .Constant("batch_end", [1L], 1)
            .Node("Shape", [image], ["image_shape"])
            .Node("Slice", ["image_shape", "batch_start", "batch_end"], ["image_batch"])
            .Node("Cast", ["image_batch"], ["image_batch_float"], OnnxAttribute.Int("to", (long)OnnxElementType.Float))
            .Node("Mul", ["image_batch_float", "count_const"], [Name("num_detections")])
            .Identity("boxes_const", Name("detection_boxes"))
            .Identity("scores_const", Name("detection_scores"))
            .Identity("classes_const", Name("detection_classes"))
            .Output(Name("detection_boxes"), OnnxElementType.Float, 1, n, 4)
            .Output(Name("detection_scores"), OnnxElementType.Float, 1, n)
            .Output(Name("detection_classes"), OnnxElementType.Float, 1, n)
            .Output(Name("num_detections"), OnnxElementType.Float, 1);
    }

    /// <summary>
    /// A small model with yolov8's head contract and its exported decoding tail (docs/MODELS.md section 2): float
    /// input <c>images</c> [1, 3, size, size]; per stride one Conv (kernel = stride = the stride) to a
    /// [1, 64 + C, size/s, size/s] map, Reshape [1, 64 + C, -1] and Concat into the raw head [1, 64 + C, A]; then
    /// the tail as Ultralytics exports it (Slice, DFL Reshape/Transpose/Softmax/Conv 0..15, anchor points at cell +
    /// <paramref name="anchorOffset"/>, Sub/Add/Div/Concat/Mul by the per-anchor strides, class Sigmoid) to
    /// <c>output0</c> [1, 4 + C, A]. Weights are pseudo-random from <paramref name="seed"/>. The tail's anchor points,
    /// strides and DFL weights are initializers (as in the published yolov8n) or, with
    /// <paramref name="tailConstantsAsNodes"/>, Constant nodes (as in yolov8s and yolov8m).
    /// </summary>
    public static OnnxGraphBuilder Yolov8(int size = 32, int classes = 2, IReadOnlyList<int>? strides = null, double anchorOffset = 0.5, int seed = 1, bool tailConstantsAsNodes = false)
    {
        strides ??= [8, 16];
        const int regMax = 16;
        var channels = (4 * regMax) + classes;
        var rng = new Random(seed);
        var b = new OnnxGraphBuilder("yolov8_stand_in")
            .Input("images", OnnxElementType.Float, 1, 3, size, size)
            .Initializer("level_shape", [1L, channels, -1L], 3);
        var levels = new List<string>();
        var pointsX = new List<float>();
        var pointsY = new List<float>();
        var anchorStrides = new List<float>();
        foreach (var s in strides)
        {
            var w = Enumerable.Range(0, channels * 3 * s * s).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.4)).ToArray();
            var bias = Enumerable.Range(0, channels).Select(_ => (float)((rng.NextDouble() - 0.5) * 4)).ToArray();
            var id = s.ToString(CultureInfo.InvariantCulture);
            b.Initializer($"w{id}", w, channels, 3, s, s)
                .Initializer($"b{id}", bias, channels)
                .Conv("images", $"w{id}", $"b{id}", $"map{id}", stride: s)
                .Reshape($"map{id}", "level_shape", $"level{id}");
            levels.Add($"level{id}");
            var grid = size / s;
            for (var i = 0; i < grid * grid; i++)
            {
                pointsX.Add((float)((i % grid) + anchorOffset));
                pointsY.Add((float)((i / grid) + anchorOffset));
                anchorStrides.Add(s);
            }
        }

        var a = anchorStrides.Count;
        float[] bins = [.. Enumerable.Range(0, regMax).Select(i => (float)i)];
        if (tailConstantsAsNodes)
        {
            b.Constant("dfl_weight", bins, 1, regMax, 1, 1).Constant("anchor_points", [.. pointsX, .. pointsY], 1, 2, a).Constant("anchor_strides", [.. anchorStrides], 1, a);
        }
        else
        {
            b.Initializer("dfl_weight", bins, 1, regMax, 1, 1).Initializer("anchor_points", [.. pointsX, .. pointsY], 1, 2, a).Initializer("anchor_strides", [.. anchorStrides], 1, a);
        }

        return b.Concat("raw_head", 2, [.. levels])
            .Initializer("box_start", [0L], 1).Initializer("box_end", [4L * regMax], 1)
            .Initializer("cls_end", [(long)channels], 1).Initializer("axis1", [1L], 1)
            .Initializer("dfl_shape", [1L, 4, regMax, a], 4).Initializer("dist_shape", [1L, 4, a], 3)
            .Initializer("two", [2L], 1).Initializer("four", [4L], 1)
            .Initializer("half_divisor", [2f])
            .Node("Slice", ["raw_head", "box_start", "box_end", "axis1"], ["box_logits"])
            .Node("Slice", ["raw_head", "box_end", "cls_end", "axis1"], ["cls_logits"])
            .Reshape("box_logits", "dfl_shape", "dfl_4x16")
            .Node("Transpose", ["dfl_4x16"], ["dfl_16x4"], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
            .Node("Softmax", ["dfl_16x4"], ["dfl_softmax"], OnnxAttribute.Int("axis", 1))
            .Node("Conv", ["dfl_softmax", "dfl_weight"], ["dfl_expectation"])
            .Reshape("dfl_expectation", "dist_shape", "distances")
            .Node("Slice", ["distances", "box_start", "two", "axis1"], ["lt"])
            .Node("Slice", ["distances", "two", "four", "axis1"], ["rb"])
            .Node("Sub", ["anchor_points", "lt"], ["x1y1"])
            .Add("anchor_points", "rb", "x2y2")
            .Add("x1y1", "x2y2", "corner_sum")
            .Node("Div", ["corner_sum", "half_divisor"], ["centre"])
            .Node("Sub", ["x2y2", "x1y1"], ["size"])
            .Concat("box_cells", 1, "centre", "size")
            .Node("Mul", ["box_cells", "anchor_strides"], ["boxes"])
            .Node("Sigmoid", ["cls_logits"], ["scores"])
            .Concat("output0", 1, "boxes", "scores")
            .Output("output0", OnnxElementType.Float, 1, 4 + classes, a);
    }

    private ModelProto Build()
    {
        var built = model.Clone();
        built.Graph.Initializer.AddRange(initializers.Select(t => t.Clone()));
        if (ListInitializersAsInputs)
        {
            foreach (var t in initializers)
            {
                built.Graph.Input.Add(ValueInfo(t.Name, (OnnxElementType)t.DataType, t.Dims.Select(d => (OnnxDim)d).ToArray()));
            }
        }

        return built;
    }

    private static ValueInfoProto ValueInfo(string name, OnnxElementType type, OnnxDim[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var d in shape)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d.Value is { } v)
            {
                dim.DimValue = v;
            }
            else if (d.Name is { } p)
            {
                dim.DimParam = p;
            }

            tensor.Shape.Dim.Add(dim);
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private static TensorProto FloatTensor(string name, float[] values, long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private static TensorProto Int64Tensor(string name, long[] values, long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var t = new TensorProto { Name = name, DataType = (int)OnnxElementType.Int64 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        return t;
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        var expected = TensorFacts.Product(dims);
        if (expected != count)
        {
            throw new ArgumentException($"Tensor '{name}' has {count} values but dims [{string.Join(",", dims)}] hold {expected}.", nameof(dims));
        }
    }
}
