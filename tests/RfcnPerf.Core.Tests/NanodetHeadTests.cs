using RfcnPerf.Core.Imaging;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.PostProcessing;
using RfcnPerf.Core.Tests.Support;
using static RfcnPerf.Core.Tests.Support.DetectionAssert;

namespace RfcnPerf.Core.Tests;

public sealed class NanodetHeadTests
{
    // A logit of 30 against 0 leaves 7 * e^-30 ~ 7e-13 of the softmax mass on the other bins, so the
    // expected bin index is exact to ~1e-11; the expected distances below are whole or half bins.
    private const float Peak = 30f;

    private const int Size = 32;
    private const int Classes = 2;
    private const int Bins = 8;

    private static readonly CategoryMap TwoClasses = CategoryMap.FromCategories([(5, "a"), (17, "b")]);

    // 64x64 stretched into 32x32: source = 2 x input on both axes.
    private static readonly LetterboxGeometry Geo = LetterboxGeometry.Compute(64, 64, Size, Size, ResizeMode.Stretch);

    private static readonly PostprocessOptions Options = new(ScoreThreshold: 0.3f, IouThreshold: 0.6f, MaxDetections: 100);

    // Score maps first, as the real export; and a shuffle (levels must be paired by cell count, not position).
    private static readonly string[] ScoresFirst = ["cls8", "cls16", "cls32", "reg8", "reg16", "reg32"];
    private static readonly string[] Shuffled = ["reg32", "cls32", "reg8", "cls8", "reg16", "cls16"];

    /// <summary>Hand-made outputs for a 32x32 input, strides 8/16/32 (grids 4x4, 2x2, 1x1), 2 classes, 8 bins.</summary>
    private static ModelOutputs Outputs(ModelSignature signature)
    {
        var maps = new Dictionary<string, float[]>
        {
            ["cls8"] = new float[16 * Classes],
            ["reg8"] = new float[16 * 4 * Bins],
            ["cls16"] = new float[4 * Classes],
            ["reg16"] = new float[4 * 4 * Bins],
            ["cls32"] = [0.1f, 0.2f],
            ["reg32"] = new float[4 * Bins],
        };

        // Stride 8, cell 6 = column 2, row 1: prior (16, 8) + offset. Class 0 at 0.7, class 1 at 0.35.
        maps["cls8"][(6 * Classes) + 0] = 0.7f;
        maps["cls8"][(6 * Classes) + 1] = 0.35f;
        SetSide(maps["reg8"], 6, side: 0, 1);       // left   1 bin   =  8 px
        SetSide(maps["reg8"], 6, side: 1, 0, 1);    // top    0.5 bin =  4 px
        SetSide(maps["reg8"], 6, side: 2, 1, 2);    // right  1.5 bin = 12 px
        SetSide(maps["reg8"], 6, side: 3, 2);       // bottom 2 bins  = 16 px

        // Stride 8, cell 0: a score exactly at the threshold is not a candidate.
        maps["cls8"][0] = 0.3f;

        // Stride 16, cell 3 = column 1, row 1: prior (16, 16) + offset. Class 1 at 0.8.
        maps["cls16"][(3 * Classes) + 0] = 0.1f;
        maps["cls16"][(3 * Classes) + 1] = 0.8f;
        SetSide(maps["reg16"], 3, side: 0, 0, 1);   // left   0.5 bin =   8 px
        SetSide(maps["reg16"], 3, side: 1, 0);      // top    0 bins  =   0 px
        SetSide(maps["reg16"], 3, side: 2, 0, 1);   // right  0.5 bin =   8 px
        SetSide(maps["reg16"], 3, side: 3, 7);      // bottom 7 bins  = 112 px, clamped to the input

        var names = signature.Outputs.Select(o => o.Name).ToArray();
        return new ModelOutputs(names, names.Select(n => maps[n]).ToArray(), signature.Outputs.Select(o => (long[])o.Dims.Clone()).ToArray());
    }

    /// <summary>Puts equal peak logits at <paramref name="peakBins"/> of one side (0 left, 1 top, 2 right, 3 bottom) of a cell.</summary>
    private static void SetSide(float[] boxMap, int cell, int side, params int[] peakBins)
    {
        foreach (var bin in peakBins)
        {
            boxMap[(cell * 4 * Bins) + (side * Bins) + bin] = Peak;
        }
    }

    public static TheoryData<string[], float, Expected[]> DecodeCases()
    {
        var data = new TheoryData<string[], float, Expected[]>();
        foreach (var order in new[] { ScoresFirst, Shuffled })
        {
            // Offset 0, priors at (x*stride, y*stride) as NanoDet-Plus' own head:
            //   stride 16: (16-8, 16-0, 16+8, min(16+112, 32)) = (8, 16, 24, 32) -> source (16, 32, 48, 64)
            //   stride 8:  (16-8, 8-4, 16+12, 8+16) = (8, 4, 28, 24) -> source (16, 8, 56, 48)
            data.Add(order, 0f,
            [
                new(17, 0.8f, 16, 32, 32, 32),
                new(5, 0.7f, 16, 8, 40, 40),
                new(17, 0.35f, 16, 8, 40, 40),
            ]);

            // Offset 0.5, priors at x*stride + (stride-1)/2 as the OpenCV zoo demo:
            //   stride 16: prior (23.5, 23.5) -> (15.5, 23.5, 31.5, 32) -> source (31, 47, 63, 64)
            //   stride 8:  prior (19.5, 11.5) -> (11.5, 7.5, 31.5, 27.5) -> source (23, 15, 63, 55)
            data.Add(order, 0.5f,
            [
                new(17, 0.8f, 31, 47, 32, 17),
                new(5, 0.7f, 23, 15, 40, 40),
                new(17, 0.35f, 23, 15, 40, 40),
            ]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DecodeCases))]
    public void Decode_turns_distributions_into_boxes_around_the_cell_prior(string[] order, float centerOffset, Expected[] expected)
    {
        var signature = Sig.Nanodet(Size, Classes, Bins, order);
        var head = NanodetHead.TryCreate(signature, ResizeMode.Stretch, centerOffset);
        Assert.NotNull(head);
        var into = new List<Detection>();

        head.Decode(Outputs(signature), 0, Geo, Options, TwoClasses, into);

        AssertDetections(expected, into);
    }

    [Fact]
    public void Class_wise_nms_suppresses_a_duplicate_of_the_same_class()
    {
        // Cell 7 (prior (24, 8)) gets class 0 at 0.5 and distances left 2, top 0.5, right 0.5, bottom 2 bins:
        // the same box (8, 4, 28, 24) as cell 6's class-0 detection at 0.7 (IoU 1 > 0.6), so it must go,
        // while cell 6's class-1 box at 0.35 (same coordinates, other class) stays.
        var signature = Sig.Nanodet(Size, Classes, Bins, ScoresFirst);
        var head = NanodetHead.TryCreate(signature, ResizeMode.Stretch, 0f);
        Assert.NotNull(head);
        var outputs = Outputs(signature);
        var cls8 = outputs.IndexOf("cls8");
        var reg8 = outputs.IndexOf("reg8");
        var scores = outputs.ForImage(cls8, 0).ToArray();
        var boxes = outputs.ForImage(reg8, 0).ToArray();
        scores[(7 * Classes) + 0] = 0.5f;
        SetSide(boxes, 7, side: 0, 2);
        SetSide(boxes, 7, side: 1, 0, 1);
        SetSide(boxes, 7, side: 2, 0, 1);
        SetSide(boxes, 7, side: 3, 2);
        var names = signature.Outputs.Select(o => o.Name).ToArray();
        var data = names.Select((n, i) => n == "cls8" ? scores : n == "reg8" ? boxes : outputs.ForImage(i, 0).ToArray()).ToArray();
        var edited = new ModelOutputs(names, data, signature.Outputs.Select(o => (long[])o.Dims.Clone()).ToArray());
        var into = new List<Detection>();

        head.Decode(edited, 0, Geo, Options, TwoClasses, into);

        Assert.Equal([(17, 0.8f), (5, 0.7f), (17, 0.35f)], into.Select(d => (d.CategoryId, d.Score)));
    }

    [Theory]
    // The real OpenCV-zoo export lists its three score maps [1,N,80] before its three box maps [1,N,32].
    [InlineData(false)]
    [InlineData(true)]
    public void TryCreate_on_the_real_signature_finds_80_classes_whatever_the_output_order(bool boxesFirst)
    {
        var real = Sig.NanodetReal;
        var signature = boxesFirst ? real with { Outputs = [.. real.Outputs.Skip(3), .. real.Outputs.Take(3)] } : real;

        var head = NanodetHead.TryCreate(signature);

        Assert.NotNull(head);
        Assert.Equal(80, head.ClassCount);
    }

    [Fact]
    public void TryCreate_uses_the_measured_defaults_and_nanodet_normalisation()
    {
        var head = NanodetHead.TryCreate(Sig.Nanodet(Size, Classes, Bins, ScoresFirst));

        Assert.NotNull(head);
        Assert.Equal(NanodetDefaults.CenterOffset, head.CenterOffset);
        var spec = head.Preprocess;
        Assert.Equal((Size, Size, NanodetDefaults.Resize, true), (spec.InputWidth, spec.InputHeight, spec.Resize, spec.Bgr));
        Assert.Equal([103.53f, 116.28f, 123.675f], spec.Mean);
        Assert.Equal([57.375f, 57.12f, 58.395f], spec.Std);
        Assert.Equal(PostprocessOptions.NanodetEval, head.DefaultPostprocess);
    }

    public static TheoryData<string, ModelSignature> UnfitSignatures => new()
    {
        { "odd number of outputs", Sig.Nanodet(Size, Classes, Bins, "cls8", "cls16", "reg8") },
        { "a score map without its box map", Sig.Nanodet(Size, Classes, Bins, "cls8", "cls16", "reg8", "reg8") },
        {
            "cells that are no square grid of the input",
            new ModelSignature([Sig.T("input.1", "float", 1, 3, 32, 32)], [Sig.T("a", "float", 1, 15, 2), Sig.T("b", "float", 1, 15, 32)])
        },
        {
            "uint8 input",
            new ModelSignature([Sig.T("input.1", "uint8", 1, 3, 32, 32)], [Sig.T("a", "float", 1, 16, 2), Sig.T("b", "float", 1, 16, 32)])
        },
        { "yolov8", Sig.Yolov8 },
    };

    [Theory]
    [MemberData(nameof(UnfitSignatures))]
    public void TryCreate_rejects_signatures_that_do_not_fit(string why, ModelSignature signature)
    {
        Assert.True(NanodetHead.TryCreate(signature) is null, why);
    }
}
