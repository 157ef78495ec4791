using System.Text;
using System.Text.Json;
using CsCheck;
using RfcnPerf.Coco.Masks;
using RfcnPerf.Testing;

namespace RfcnPerf.Coco.Tests;

/// <summary>
/// The maskApi.c port against pycocotools on random masks and polygons (rle_table.json of the segm/keypoints cases,
/// made by tools/coco-segm-kp-oracle/generate.py): compressed strings both ways, run lengths of a bitmap, polygon
/// rasterisation, unions, areas, boxes and IoUs, all exactly.
/// </summary>
public sealed class MaskApiTests
{
    private static readonly Lazy<JsonDocument> Table = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.CocoEvalCasesSegmKp, "rle_table.json"))));

    [Fact]
    public void Encoded_masks_decode_to_their_bits_and_back_to_the_same_string()
    {
        int n = 0;
        foreach (var e in Table.Value.RootElement.GetProperty("encode").EnumerateArray())
        {
            uint h = e.GetProperty("h").GetUInt32(), w = e.GetProperty("w").GetUInt32();
            string s = e.GetProperty("counts").GetString()!;
            uint[] counts = Decode(s);

            // rleEncode of the Fortran-order bits gives the same runs.
            Assert.Equal(Encode(e.GetProperty("bits").GetString()!), counts);
            Assert.Equal(s, Encode(counts));
            Assert.Equal(e.GetProperty("area").GetUInt32(), MaskApi.Area(counts));
            AssertBox(e, counts, h, w);
            n++;
        }

        Assert.Equal(300, n);
    }

    [Fact]
    public void Polygons_rasterise_as_pycocotools_does()
    {
        var scratch = new MaskScratch();
        int n = 0;
        foreach (var e in Table.Value.RootElement.GetProperty("frPoly").EnumerateArray())
        {
            uint h = e.GetProperty("h").GetUInt32(), w = e.GetProperty("w").GetUInt32();
            double[] xy = [.. e.GetProperty("xy").EnumerateArray().Select(v => v.GetDouble())];
            uint[] counts = MaskApi.FrPoly(xy, h, w, scratch).ToArray();

            Assert.Equal(e.GetProperty("counts").GetString(), Encode(counts));
            Assert.Equal(e.GetProperty("area").GetUInt32(), MaskApi.Area(counts));
            AssertBox(e, counts, h, w);
            n++;
        }

        Assert.Equal(300, n);
    }

    [Fact]
    public void Unions_are_pycocotools_merges()
    {
        int n = 0;
        foreach (var e in Table.Value.RootElement.GetProperty("merge").EnumerateArray())
        {
            uint[][] parts = [.. e.GetProperty("parts").EnumerateArray().Select(p => Decode(p.GetString()!))];
            uint[] acc = parts[0];
            foreach (var part in parts.Skip(1))
            {
                var into = new uint[acc.Length + part.Length];
                int m = MaskApi.Union(acc, part, into);
                acc = into[..m];
            }

            Assert.Equal(e.GetProperty("counts").GetString(), Encode(acc));
            n++;
        }

        Assert.Equal(150, n);
    }

    [Fact]
    public void Iou_with_the_box_prefilter_is_rleIou()
    {
        // rleIou: bbIou of the masks' boxes first, the run walk only where it is > 0 (as MaskIouProvider does).
        int n = 0, walked = 0;
        Span<double> db = stackalloc double[4], gb = stackalloc double[4];
        foreach (var e in Table.Value.RootElement.GetProperty("iou").EnumerateArray())
        {
            uint h = e.GetProperty("h").GetUInt32(), w = e.GetProperty("w").GetUInt32();
            uint[] dt = Decode(e.GetProperty("dt").GetString()!), gt = Decode(e.GetProperty("gt").GetString()!);
            bool crowd = e.GetProperty("crowd").GetBoolean();
            MaskApi.ToBbox(dt, h, w, db);
            MaskApi.ToBbox(gt, h, w, gb);
            double o = BoxIou.Compute(db, gb, crowd);
            if (o > 0)
            {
                o = MaskApi.Iou(dt, gt, crowd);
                walked++;
            }

            BitAssert.Equal(GoldenCase.ParseHex(e.GetProperty("iou_hex").GetString()!), o, $"iou {n}");
            n++;
        }

        Assert.Equal(400, n);
        Assert.True(walked > 200, $"only {walked} pairs reached the run walk");
    }

    [Theory]
    [InlineData("0", "None")]
    [InlineData("1\0zz", "None")] // a NUL ends the string, as in C
    [InlineData("o", "Truncated")] // 'o' = 63 has the continuation bit: the number never ends
    [InlineData("p", "BadCharacter")]
    [InlineData("/", "BadCharacter")]
    [InlineData("ooooooo0", "TooLong")]
    public void Strings_pycocotools_never_writes_are_refused(string s, string expected)
    {
        var counts = new uint[s.Length];
        Assert.Equal(expected, MaskApi.TryFrString(Encoding.Latin1.GetBytes(s), counts, out _, out _).ToString());
    }

    [Fact]
    public void Large_counts_and_negative_differences_round_trip()
    {
        // Differences up to 30 bits survive; beyond, rleFrString's 32-bit int shift drops bits (reproduced, and such a
        // mask, of more than 2^30 pixels, then fails the reader's size check).
        uint[] counts = [0, 300_000_000, 3, 1, 5, 536_870_000, 0, 12];
        Assert.Equal(counts, Decode(Encode(counts)));
        uint[] huge = [0, uint.MaxValue - 7, 3, 1];
        Assert.NotEqual(huge, Decode(Encode(huge)));
    }

    [Fact]
    public void Boxes_found_by_carrying_the_column_equal_those_found_by_division()
    {
        // ToBbox carries the column from run to run and divides only after a gap: it must agree with dividing at every
        // run end, for every height (1, 2, powers of two, the largest) and any counts, wrapping sums included.
        var heights = Gen.OneOf(Gen.UInt[1, 3], Gen.UInt[1, 70_000], Gen.OneOf(Gen.Const(65_536u), Gen.Const(int.MaxValue + 1u), Gen.Const(uint.MaxValue)), Gen.UInt[1, uint.MaxValue]);
        var counts = Gen.OneOf(Gen.UInt[0, 60], Gen.UInt[0, 100_000], Gen.UInt).Array[0, 40];
        Gen.Select(heights, Gen.UInt[0, 5000], counts).Sample(
            t =>
            {
                var (h, w, c) = t;
                var actual = new double[4];
                MaskApi.ToBbox(c, h, w, actual);
                Assert.Equal(BoxByDivision(c, h, w), actual);
            },
            seed: "0toBboxRfcnPerf",
            iter: 20_000);
    }

    [Fact]
    public void Iou_over_foreground_runs_equals_the_run_walk()
    {
        // IouOfRuns visits only the foreground runs and takes the union from the areas; MaskApi.Iou walks every run of
        // both masks as rleIou does (checked against pycocotools above). Random pairs of masks of the same size; those
        // with an empty run inside are left to the walk.
        var masks = Gen.Select(Gen.UInt[1, 30], Gen.UInt[1, 30]).SelectMany(hw =>
        {
            uint pixels = hw.Item1 * hw.Item2;
            var one = Gen.Select(Gen.OneOf(Gen.UInt[1, 3], Gen.UInt[1, 40]).Array[0, 30], Gen.Bool).Select(r => Fit(r.Item1, pixels, r.Item2));
            return Gen.Select(one, one, Gen.Bool).Select(p => (p.Item1, p.Item2, p.Item3));
        });
        masks.Sample(
            t =>
            {
                var (dt, gt, crowd) = t;
                double expected = MaskApi.Iou(dt, gt, crowd);
                uint dtArea = MaskApi.Area(dt, out bool dtRuns), gtArea = MaskApi.Area(gt, out bool gtRuns);
                if (!dtRuns || !gtRuns)
                {
                    return;
                }

                double actual = MaskApi.IouOfRuns(dt, dtArea, gt, gtArea, crowd);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
            },
            seed: "0iouRunsRfcnPerf",
            iter: 20_000);
    }

    /// <summary>Counts covering exactly <paramref name="pixels"/>: the runs up to where they pass it, cut there, or
    /// one more run to fill it; a first count of 0 (a mask starting with foreground) when <paramref name="zeroFirst"/>.</summary>
    private static uint[] Fit(uint[] runs, uint pixels, bool zeroFirst)
    {
        var fitted = new List<uint>();
        if (zeroFirst)
        {
            fitted.Add(0);
        }

        uint left = pixels;
        foreach (uint r in runs)
        {
            uint c = Math.Min(r, left);
            fitted.Add(c);
            left -= c;
            if (left == 0)
            {
                return [.. fitted];
            }
        }

        fitted.Add(left);
        return [.. fitted];
    }

    /// <summary>MaskApi.ToBbox as it was: a division per run end.</summary>
    private static double[] BoxByDivision(uint[] counts, uint h, uint w)
    {
        int m = counts.Length / 2 * 2;
        uint xs = w, ys = h, xe = 0, ye = 0, cc = 0;
        if (m == 0)
        {
            return [0, 0, 0, 0];
        }

        unchecked
        {
            for (int j = 0; j < m; j++)
            {
                uint start = cc;
                cc += counts[j];
                if (j % 2 == 0 || counts[j] == 0)
                {
                    continue;
                }

                uint xStart = start / h, yStart = start % h, xEnd = (cc - 1) / h, yEnd = (cc - 1) % h;
                xs = Math.Min(xs, xStart);
                xe = Math.Max(xe, xEnd);
                if (xStart < xEnd)
                {
                    ys = 0;
                    ye = h - 1;
                }
                else
                {
                    ys = Math.Min(ys, yStart);
                    ye = Math.Max(ye, yEnd);
                }
            }

            return [xs, ys, xe - xs + 1, ye - ys + 1];
        }
    }

    private static void AssertBox(JsonElement e, uint[] counts, uint h, uint w)
    {
        Span<double> bb = stackalloc double[4];
        MaskApi.ToBbox(counts, h, w, bb);
        double[] expected = [.. e.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble())];
        Assert.Equal(expected, bb.ToArray());
    }

    private static uint[] Decode(string s)
    {
        var counts = new uint[s.Length];
        Assert.Equal(MaskApi.StringError.None, MaskApi.TryFrString(Encoding.ASCII.GetBytes(s), counts, out int m, out _));
        return counts[..m];
    }

    private static string Encode(uint[] counts)
    {
        var s = new byte[MaskApi.MaxCharsPerCount * counts.Length];
        return Encoding.ASCII.GetString(s, 0, MaskApi.ToString(counts, s));
    }

    /// <summary>rleEncode of one mask given as '0'/'1' characters in Fortran order.</summary>
    private static uint[] Encode(string bits)
    {
        var counts = new List<uint>();
        char previous = '0';
        uint run = 0;
        foreach (char b in bits)
        {
            if (b != previous)
            {
                counts.Add(run);
                run = 0;
                previous = b;
            }

            run++;
        }

        counts.Add(run);
        return [.. counts];
    }
}
