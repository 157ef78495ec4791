namespace RfcnPerf.Onnx.Tests;

/// <summary>
/// <see cref="Yolov8TailCut"/> on the small yolov8 stand-in built with <see cref="OnnxGraphBuilder.Yolov8"/> and on
/// the real yolov8n: what stays, what the metadata declares, that the output is the raw head the uncut graph
/// computed, refusals, determinism (the quantizer's head rule on a cut graph is in RfcnPerf.Quantization.Tests).
/// </summary>
public sealed class Yolov8TailCutTests : IDisposable
{
    private readonly string dir = TestModels.TempDir();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string StandIn(string name, double anchorOffset = 0.5)
    {
        var path = Path.Combine(dir, name);
        OnnxGraphBuilder.Yolov8(anchorOffset: anchorOffset).Save(path);
        return path;
    }

    [Fact]
    public void The_cut_keeps_the_raw_head_as_the_only_output_and_declares_its_layout()
    {
        var source = StandIn("yolo.onnx");
        var cut = Path.Combine(dir, "cut.onnx");

        var layout = Yolov8TailCut.Cut(source, cut);

        // 32x32 input, strides 8 and 16: 4x4 + 2x2 = 20 anchors, 64 DFL + 2 class channels.
        Assert.Equal(("raw_head", 2, 16, 0.5, 20, 66), (layout.Output, layout.Classes, layout.RegMax, layout.AnchorOffset, layout.Anchors, layout.Channels));
        Assert.Equal([new HeadLevel(4, 4, 8), new HeadLevel(2, 2, 16)], layout.Levels);
        var info = ModelInfo.Read(cut);
        Assert.Equal("raw_head", Assert.Single(info.Outputs).Name);
        Assert.Equal(["Conv", "Reshape", "Conv", "Reshape", "Concat"], OnnxModelFile.Load(cut).Graph.Node.Select(n => n.OpType));
        var metadata = info.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("yolov8-dfl-raw", metadata["rfcnperf.head"]);
        Assert.Equal("4x4@8,2x2@16", metadata["rfcnperf.head.levels"]);
        Assert.Equal("16", metadata["rfcnperf.head.reg_max"]);
        Assert.Equal("2", metadata["rfcnperf.head.classes"]);
        Assert.Equal("raw_head", metadata["rfcnperf.head.output"]);
        var parsed = RawHeadLayout.FromMetadata(metadata, cut)!;
        Assert.Equal((layout.Output, layout.Classes, layout.RegMax, layout.AnchorOffset), (parsed.Output, parsed.Classes, parsed.RegMax, parsed.AnchorOffset));
        Assert.Equal(layout.Levels, parsed.Levels);
    }

    [Fact]
    public void The_cut_output_equals_the_raw_head_the_uncut_graph_computes()
    {
        var source = StandIn("yolo.onnx");
        var cut = Path.Combine(dir, "cut.onnx");
        Yolov8TailCut.Cut(source, cut);
        var exposed = Path.Combine(dir, "exposed.onnx");
        var model = OnnxModelFile.Load(source);
        model.Graph.Output.Add(new Proto.ValueInfoProto { Name = "raw_head", Type = model.Graph.Output[0].Type.Clone() });
        model.Graph.Output[1].Type.TensorType.Shape = null;
        OnnxModelFile.Save(model, exposed);
        var image = Ort.DeterministicInput(3 * 32 * 32, 7);

        using var whole = Ort.Session(exposed);
        using var raw = Ort.Session(cut);
        var expected = Ort.Run(whole, "images", image, [1, 3, 32, 32])["raw_head"];
        var actual = Ort.Run(raw, "images", image, [1, 3, 32, 32])["raw_head"];

        Assert.Equal([1L, 66, 20], actual.Shape);
        Assert.Equal(expected.Data, actual.Data);
    }

    [Fact]
    public void Tail_constants_stored_as_constant_nodes_are_verified_too()
    {
        // yolov8s and yolov8m keep their anchor points and strides in Constant nodes, yolov8n in initializers.
        var path = Path.Combine(dir, "constants.onnx");
        OnnxGraphBuilder.Yolov8(tailConstantsAsNodes: true).Save(path);
        var corner = Path.Combine(dir, "constants-corner.onnx");
        OnnxGraphBuilder.Yolov8(anchorOffset: 0, tailConstantsAsNodes: true).Save(corner);

        Assert.Equal(20, Yolov8TailCut.Cut(path, Path.Combine(dir, "cut.onnx")).Anchors);
        Assert.Throws<OnnxModelException>(() => Yolov8TailCut.Cut(corner, Path.Combine(dir, "x.onnx")));
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes()
    {
        var source = StandIn("yolo.onnx");
        Yolov8TailCut.Cut(source, Path.Combine(dir, "a.onnx"));
        Yolov8TailCut.Cut(source, Path.Combine(dir, "b.onnx"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.onnx")), File.ReadAllBytes(Path.Combine(dir, "b.onnx")));
    }

    [Fact]
    public void A_tail_whose_anchor_points_differ_from_the_derived_grid_is_refused()
    {
        // Anchor points at the cell corner (offset 0): post-processing at cell + 0.5 would shift every box.
        var source = StandIn("corner.onnx", anchorOffset: 0);

        var ex = Assert.Throws<OnnxModelException>(() => Yolov8TailCut.Cut(source, Path.Combine(dir, "x.onnx")));

        Assert.Contains("anchor points [2, 20] at cell + 0.5", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("per-anchor strides", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "x.onnx")));
    }

    [Fact]
    public void A_cut_model_is_not_cut_again()
    {
        var cut = Path.Combine(dir, "cut.onnx");
        Yolov8TailCut.Cut(StandIn("yolo.onnx"), cut);

        var ex = Assert.Throws<OnnxModelException>(() => Yolov8TailCut.Cut(cut, Path.Combine(dir, "again.onnx")));

        Assert.Contains("already cut", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_a_raw_head_is_refused()
    {
        var path = Path.Combine(dir, "relu.onnx");
        new OnnxGraphBuilder().Input("x", OnnxElementType.Float, 1, 3, 8, 8).Relu("x", "y").Output("y", OnnxElementType.Float, 1, 3, 8, 8).Save(path);

        var ex = Assert.Throws<OnnxModelException>(() => Yolov8TailCut.Cut(path, Path.Combine(dir, "x.onnx")));

        Assert.Contains("exactly one tensor [N, 64+C, A]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rfcnperf.head.levels", "80x80")]
    [InlineData("rfcnperf.head.reg_max", "sixteen")]
    [InlineData("rfcnperf.head.anchor_offset", "2")]
    public void Malformed_metadata_is_refused_not_guessed(string key, string value)
    {
        var layout = new RawHeadLayout("raw", 80, 16, [new HeadLevel(80, 80, 8)], 0.5);
        var metadata = layout.ToMetadata().ToDictionary(kv => kv.Key, kv => kv.Value);
        metadata[key] = value;

        var ex = Assert.Throws<OnnxModelException>(() => RawHeadLayout.FromMetadata(metadata, "m.onnx"));

        Assert.Contains($"metadata '{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_yolov8n_is_cut_at_its_raw_head_with_three_levels()
    {
        var cut = Path.Combine(dir, "yolov8n-cut.onnx");

        var layout = Yolov8TailCut.Cut(TestModels.Yolov8n, cut);

        Assert.Equal("/model.22/Concat_3_output_0", layout.Output);
        Assert.Equal((80, 16, 8400, 144), (layout.Classes, layout.RegMax, layout.Anchors, layout.Channels));
        Assert.Equal([new HeadLevel(80, 80, 8), new HeadLevel(40, 40, 16), new HeadLevel(20, 20, 32)], layout.Levels);
        var info = ModelInfo.Read(cut);
        Assert.Equal("/model.22/Concat_3_output_0 float32 [1,144,8400]", Assert.Single(info.Outputs).ToString());
        Assert.DoesNotContain(OnnxModelFile.Load(cut).Graph.Node, n => n.OpType is "Softmax" or "Transpose");
        Assert.Contains(info.Metadata, kv => kv.Key == "author" && kv.Value == "Ultralytics");
    }
}
