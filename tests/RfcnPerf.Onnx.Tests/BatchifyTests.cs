namespace RfcnPerf.Onnx.Tests;

public sealed class BatchifyTests : IDisposable
{
    // Largest |batched - batch-1| allowed per output element. Once the batch is symbolic ONNX Runtime's layout
    // optimizer makes other choices (it moves Resize to the NCHWc layout once its scales are constant and fuses
    // differently around it), so float results agree to rounding, not bitwise: 2.4e-6 was observed on NanoDet
    // FP32 outputs of magnitude up to about 10. A batch-mixing bug moves values by orders of magnitude more.
    private const float BatchTolerance = 1e-4f;

    private readonly string dir = TestModels.TempDir();

    public void Dispose()
    {
        foreach (var d in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories))
        {
            SetReadOnly(d, false);
        }

        Directory.Delete(dir, recursive: true);
    }

    [SkippableTheory]
    [InlineData("fp32", 4)]
    [InlineData("int8", 2)]
    public void BatchifiedNanoDet_EachImageMatchesItsBatch1Outputs(string precision, int batch)
    {
        var original = TestModels.Path(precision);
        var batched = Path.Combine(dir, $"nanodet-{precision}-dyn.onnx");
        var report = OnnxBatchify.Batchify(original, batched);

        Assert.False(report.AlreadyDynamic);
        Assert.Equal(38, report.ReshapesRewritten);
        Assert.Equal(4, report.ResizesRewritten);
        Assert.True(OnnxBatchify.HasDynamicBatch(batched));
        Assert.Equal(["batch", 3, 416, 416], ModelInfo.Read(batched).Inputs[0].Shape!);

        const int imageSize = 3 * 416 * 416;
        var images = Enumerable.Range(0, batch).Select(i => Ort.DeterministicInput(imageSize, seed: 10 + i)).ToArray();
        using var one = Ort.Session(original);
        using var many = Ort.Session(batched);
        var expected = images.Select(image => Ort.Run(one, "input.1", image, [1, 3, 416, 416])).ToArray();
        var actual = Ort.Run(many, "input.1", images.SelectMany(i => i).ToArray(), [batch, 3, 416, 416]);

        foreach (var (name, (data, shape)) in actual)
        {
            Assert.Equal(batch, shape[0]);
            var perImage = data.Length / batch;
            for (var i = 0; i < batch; i++)
            {
                var reference = expected[i][name].Data;
                Assert.Equal(perImage, reference.Length);
                var maxDiff = 0f;
                for (var j = 0; j < perImage; j++)
                {
                    maxDiff = Math.Max(maxDiff, Math.Abs(data[(i * perImage) + j] - reference[j]));
                }

                Assert.True(maxDiff <= BatchTolerance, $"output {name}, image {i}: max |diff| {maxDiff} > {BatchTolerance}");
            }
        }
    }

    [Fact]
    public void SmallGraph_WithReshapeAndResizeSizes_RunsAnyBatchExactly()
    {
        var model = Path.Combine(dir, "small.onnx");
        new OnnxGraphBuilder(opset: 13)
            .Input("x", OnnxElementType.Float, 1, 2, 3, 3)
            .Initializer("w", Ort.DeterministicInput(4 * 2 * 3 * 3, seed: 3), 4, 2, 3, 3)
            .Conv("x", "w", null, "c", pad: 1)
            .Initializer("sizes", [1L, 4, 6, 6], 4)
            .Node("Resize", ["c", "", "", "sizes"], ["r"], OnnxAttribute.String("mode", "nearest"))
            .Initializer("flat", [1L, 4, -1], 3)
            .Reshape("r", "flat", "f")
            .Node("Softmax", ["f"], ["y"], OnnxAttribute.Int("axis", -1))
            .Output("y", OnnxElementType.Float, 1, 4, 36)
            .Save(model);
        var batched = Path.Combine(dir, "small-dyn.onnx");

        var report = OnnxBatchify.Batchify(model, batched);

        Assert.Equal((1, 1), (report.ReshapesRewritten, report.ResizesRewritten));
        var images = Enumerable.Range(0, 3).Select(i => Ort.DeterministicInput(18, seed: 20 + i)).ToArray();
        using var one = Ort.Session(model);
        using var many = Ort.Session(batched);
        var actual = Ort.Run(many, "x", images.SelectMany(i => i).ToArray(), [3, 2, 3, 3])["y"];
        Assert.Equal([3L, 4, 36], actual.Shape);
        for (var i = 0; i < 3; i++)
        {
            var expected = Ort.Run(one, "x", images[i], [1, 2, 3, 3])["y"].Data;
            Assert.Equal(expected, actual.Data.AsSpan(i * 144, 144).ToArray());
        }
    }

    [Fact]
    public void AlreadyDynamicModel_IsLeftAsItIs()
    {
        var batched = Path.Combine(dir, "dyn.onnx");
        OnnxBatchify.Batchify(TestModels.Yolov8n, batched);

        var again = OnnxBatchify.Batchify(batched, Path.Combine(dir, "dyn2.onnx"));

        Assert.True(again.AlreadyDynamic);
        Assert.Equal(batched, OnnxBatchify.EnsureDynamicBatch(batched, Path.Combine(dir, "cache")));
    }

    [Fact]
    public void EnsureDynamicBatch_ReadOnlyFolder_WritesOnceToCacheThenReuses()
    {
        var readOnly = Directory.CreateDirectory(Path.Combine(dir, "mirror")).FullName;
        var model = Path.Combine(readOnly, "yolov8n.onnx");
        File.Copy(TestModels.Yolov8n, model);
        SetReadOnly(readOnly, true);
        var cache = Path.Combine(dir, "cache");

        var first = OnnxBatchify.EnsureDynamicBatch(model, cache);
        var written = File.GetLastWriteTimeUtc(first);
        var second = OnnxBatchify.EnsureDynamicBatch(model, cache);

        Assert.Equal(cache, Path.GetDirectoryName(first));
        Assert.Equal("yolov8n.dynbatch-v1-9697a185dd8eb744.onnx", Path.GetFileName(first));
        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
        Assert.Equal(["yolov8n.onnx"], Directory.GetFiles(readOnly).Select(Path.GetFileName));
        Assert.True(OnnxBatchify.HasDynamicBatch(first));
    }

    [Fact]
    public void EnsureDynamicBatch_WritableFolder_WritesBesideTheOriginal()
    {
        var model = Path.Combine(dir, "yolov8n.onnx");
        File.Copy(TestModels.Yolov8n, model);

        var result = OnnxBatchify.EnsureDynamicBatch(model, Path.Combine(dir, "cache"));

        Assert.Equal(dir, Path.GetDirectoryName(result));
        Assert.False(Directory.Exists(Path.Combine(dir, "cache")));
        Assert.Contains("dynamic batch 'batch', rewrite v1, from sha256 9697a185", ModelInfo.Read(result).Metadata.Single(kv => kv.Key == "rfcnperf.batchify").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputedReshapeShape_WithLeadingOne_IsRefused()
    {
        var builder = Image()
            .Constant("one", [1L], 1)
            .Constant("rest", [-1L], 1)
            .Concat("shape", 0, "one", "rest")
            .Reshape("x", "shape", "y")
            .Output("y", OnnxElementType.Float, 1, 48);

        AssertRefused(builder, "leading 1 of its target shape is computed by node 2 'Concat_2' (Concat)");
    }

    [Fact]
    public void ReductionOverBatch_IsRefused() =>
        AssertRefused(
            Image().Node("ReduceMean", ["x"], ["y"], OnnxAttribute.Ints("axes", 0)).Output("y", OnnxElementType.Float, 1, 3, 4, 4),
            "reduces over the batch axis 0");

    [Fact]
    public void ConcatWithUnbatchedConstant_IsRefused() =>
        AssertRefused(
            Image().Initializer("pad", new float[48], 1, 3, 4, 4).Concat("y", 1, "x", "pad").Output("y", OnnxElementType.Float, 1, 6, 4, 4),
            "concatenates batched and unbatched values");

    [Fact]
    public void ConcatAlongBatch_IsRefused() =>
        AssertRefused(
            Image().Concat("y", 0, "x", "x").Output("y", OnnxElementType.Float, 2, 3, 4, 4),
            "concatenates along the batch axis 0");

    [Fact]
    public void ReshapeMergingTheBatch_IsRefused() =>
        AssertRefused(
            Image().Initializer("s", [-1L], 1).Reshape("x", "s", "y").Output("y", OnnxElementType.Float, 48),
            "the batch is merged with other dimensions");

    [Fact]
    public void ReshapeWithAllowZero_IsRefused() =>
        AssertRefused(
            Image().Initializer("s", [1L, -1], 2).Node("Reshape", ["x", "s"], ["y"], OnnxAttribute.Int("allowzero", 1)).Output("y", OnnxElementType.Float, 1, 48),
            "allowzero=1");

    [Fact]
    public void UnknownOpOnImages_IsRefused() =>
        AssertRefused(
            Image().Opset("com.example", 1).Node("com.example", "Mystery", ["x"], ["y"]).Output("y", OnnxElementType.Float, 1, 3, 4, 4),
            "op Mystery reads a batched value and is not known to keep images apart");

    [Fact]
    public void OutputIndependentOfTheImage_IsRefused() =>
        AssertRefused(
            Image().Relu("x", "y").Constant("c", [1f], 1).Output("y", OnnxElementType.Float, 1, 3, 4, 4).Output("c", OnnxElementType.Float, 1),
            "output 'c' does not depend on the batch");

    [Fact]
    public void FixedBatchOtherThanOne_IsRefused() =>
        AssertRefused(
            new OnnxGraphBuilder().Input("x", OnnxElementType.Float, 4, 3).Relu("x", "y").Output("y", OnnxElementType.Float, 4, 3),
            "fixed batch of 4");

    [Fact]
    public void ExternalData_IsRefused()
    {
        var model = OnnxModelFile.Parse(Image().Initializer("b", new float[48], 1, 3, 4, 4).Add("x", "b", "y").Output("y", OnnxElementType.Float, 1, 3, 4, 4).ToBytes(), "memory");
        ModelInfoTests.MakeExternal(model.Graph.Initializer[0]);
        var path = Path.Combine(dir, "external.onnx");
        OnnxModelFile.Save(model, path);

        var ex = Assert.Throws<OnnxModelException>(() => OnnxBatchify.Batchify(path, Path.Combine(dir, "out.onnx")));

        Assert.Contains("initializer 'b' stores its data in an external file", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Marks a folder read-only the way the offline mirror is (permission bits, which root ignores).</summary>
    private static void SetReadOnly(string path, bool readOnly)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new DirectoryInfo(path);
            info.Attributes = readOnly ? info.Attributes | FileAttributes.ReadOnly : info.Attributes & ~FileAttributes.ReadOnly;
        }
        else
        {
            var mode = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
            File.SetUnixFileMode(path, readOnly ? mode : mode | UnixFileMode.UserWrite);
        }
    }

    private static OnnxGraphBuilder Image() => new OnnxGraphBuilder().Input("x", OnnxElementType.Float, 1, 3, 4, 4);

    private void AssertRefused(OnnxGraphBuilder builder, string reason)
    {
        var path = Path.Combine(dir, "refused.onnx");
        builder.Save(path);
        var output = Path.Combine(dir, "refused-out.onnx");

        var ex = Assert.Throws<OnnxModelException>(() => OnnxBatchify.Batchify(path, output));

        Assert.StartsWith($"{path}: cannot open the batch dimension safely: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
