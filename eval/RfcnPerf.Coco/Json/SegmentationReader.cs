using System.Globalization;
using System.Text.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Reads one <c>segmentation</c> value in the three forms pycocotools' annToRLE accepts: a list of polygons, an
/// uncompressed run-length mask (<c>{"counts": [...], "size": [h, w]}</c>) or a compressed one (<c>counts</c> as a
/// string). A mask is decoded and checked here (its runs must cover exactly h x w pixels); a polygon is kept as its
/// coordinates. Shared by the ground-truth and results readers; one instance per file (it owns the buffers).
/// </summary>
internal sealed class SegmentationReader
{
    /// <summary>
    /// The longest polygon outline rasterised, in up-sampled steps (rleFrPoly walks 5 steps per pixel along each
    /// edge): about 3.3 million pixels of perimeter, far beyond any image, so only coordinates far outside the image
    /// hit it, where pycocotools would allocate gigabytes.
    /// </summary>
    public const long MaxPolygonWalk = 1L << 24;

    private const string Field = "segmentation";

    private readonly GrowableArray<double> polygon = new();
    private readonly List<string> expectedPolygon = [];
    private uint[] counts = new uint[256];
    private byte[] chars = new byte[256];

    /// <summary>The form the last <see cref="Read"/> found.</summary>
    public enum Form
    {
        Polygons,
        CountsList,
        CountsString,
    }

    /// <summary>Reads the value at the current token into <paramref name="into"/>.</summary>
    public Form Read(ref StreamingJsonReader r, SegmentationBuilder into)
    {
        if (r.TokenType == JsonTokenType.StartArray)
        {
            ReadPolygons(ref r, into);
            return Form.Polygons;
        }

        if (r.TokenType == JsonTokenType.StartObject)
        {
            return ReadRle(ref r, into);
        }

        throw r.FieldError(Field, $"expected a list of polygons or a run-length mask {{\"counts\", \"size\"}}, found {r.Describe()}");
    }

    private void ReadPolygons(ref StreamingJsonReader r, SegmentationBuilder into)
    {
        // annToRLE -> frPyObjects(segm, h, w): it tests the FIRST polygon's length to choose between boxes (4
        // numbers) and polygons (> 4), then rasterises every entry with int(len(p) / 2) points.
        into.BeginPolygons();
        int index = 0;
        while (true)
        {
            r.Next();
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            polygon.Truncate(0);
            r.ReadNumbers(Field, ExpectedPolygon(index), polygon);
            if (index == 0 && polygon.Count <= 4)
            {
                throw r.FieldError(Field, $"polygon 0 has {polygon.Count} numbers, expected at least 6 (3 points): pycocotools reads a list whose first entry has 4 numbers as boxes and fails on it, and on fewer");
            }

            if (polygon.Count < 2)
            {
                throw r.FieldError(Field, $"polygon {index} has {polygon.Count} numbers, expected at least one point (x, y) (pycocotools' rleFrPoly reads past the end of an empty polygon)");
            }

            var xy = polygon.AsSpan();
            if (!MaskApi.WalkAtMost(xy, MaxPolygonWalk))
            {
                throw r.FieldError(Field, $"polygon {index} spans more than {MaxPolygonWalk / 5:N0} pixels of outline: its coordinates lie far outside any image");
            }

            into.AddPolygon(xy);
            index++;
        }

        if (index == 0)
        {
            throw r.FieldError(Field, "an empty list of polygons (pycocotools fails on it with IndexError): leave the field out, or give a mask");
        }
    }

    /// <summary>What polygon <paramref name="index"/> should be, for a message (kept: an object's polygons are read by
    /// the million, and formatting the text for each cost as much as rasterising it).</summary>
    private string ExpectedPolygon(int index)
    {
        while (expectedPolygon.Count <= index)
        {
            expectedPolygon.Add(string.Create(CultureInfo.InvariantCulture, $"polygon {expectedPolygon.Count} as numbers [x0, y0, x1, y1, ...]"));
        }

        return expectedPolygon[index];
    }

    private Form ReadRle(ref StreamingJsonReader r, SegmentationBuilder into)
    {
        int m = -1;
        long h = -1, w = -1;
        var form = Form.CountsList;
        while (true)
        {
            r.Next();
            if (r.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (r.PropertyIs("counts"u8))
            {
                r.Next();
                if (r.TokenType == JsonTokenType.String)
                {
                    form = Form.CountsString;
                    m = DecodeString(ref r);
                }
                else if (r.TokenType == JsonTokenType.StartArray)
                {
                    form = Form.CountsList;
                    m = ReadCountsList(ref r);
                }
                else
                {
                    throw r.FieldError(Field + ".counts", $"expected run lengths (a list of integers or the compressed string), found {r.Describe()}");
                }
            }
            else if (r.PropertyIs("size"u8))
            {
                r.Next();
                (h, w) = ReadSize(ref r);
            }
            else
            {
                r.Next();
                r.SkipValue();
            }
        }

        if (m < 0 || h < 0)
        {
            string missing = m < 0 ? "counts" : "size";
            throw r.FieldError(Field, $"the run-length mask has no '{missing}' (it needs 'counts' and 'size': [height, width])");
        }

        ulong total = 0;
        foreach (uint c in counts.AsSpan(0, m))
        {
            total += c;
        }

        ulong pixels = (ulong)h * (ulong)w;
        if (total != pixels)
        {
            throw r.FieldError(Field + ".counts", string.Create(CultureInfo.InvariantCulture, $"the runs cover {total} pixels, but size [{h}, {w}] has {pixels}: not a mask of that size"));
        }

        into.AddRle((uint)h, (uint)w, counts.AsSpan(0, m));
        return form;
    }

    private int DecodeString(ref StreamingJsonReader r)
    {
        ReadOnlySpan<byte> s = r.GetUtf8(Field + ".counts", ref chars);
        if (counts.Length < s.Length)
        {
            counts = new uint[Math.Max(s.Length, counts.Length * 2)];
        }

        var error = MaskApi.TryFrString(s, counts, out int m, out int at);
        return error switch
        {
            MaskApi.StringError.None => m,
            MaskApi.StringError.BadCharacter => throw r.FieldError(Field + ".counts", $"character {at} of the compressed run lengths is not one pycocotools writes ('0' to 'o')"),
            MaskApi.StringError.Truncated => throw r.FieldError(Field + ".counts", "the compressed run lengths end in the middle of a number (truncated?)"),
            _ => throw r.FieldError(Field + ".counts", $"a run length at character {at} takes more than {MaskApi.MaxCharsPerCount} characters (not a 32-bit count)"),
        };
    }

    private int ReadCountsList(ref StreamingJsonReader r)
    {
        int m = 0;
        while (true)
        {
            r.Next();
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return m;
            }

            long c = r.TokenType == JsonTokenType.Number ? r.GetInt64(Field + ".counts") : -1;
            if (c is < 0 or > uint.MaxValue)
            {
                throw r.FieldError(Field + ".counts", $"run length {m}: expected an integer from 0 to {uint.MaxValue}, found {r.Describe()}");
            }

            if (m == counts.Length)
            {
                Array.Resize(ref counts, counts.Length * 2);
            }

            counts[m++] = (uint)c;
        }
    }

    private static (long H, long W) ReadSize(ref StreamingJsonReader r)
    {
        const string what = Field + ".size";
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw r.FieldError(what, $"expected [height, width], found {r.Describe()}");
        }

        Span<long> hw = stackalloc long[2];
        int n = 0;
        while (true)
        {
            r.Next();
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            long v = r.TokenType == JsonTokenType.Number ? r.GetInt64(what) : -1;
            if (v is < 0 or > int.MaxValue)
            {
                throw r.FieldError(what, $"expected [height, width] (two integers from 0 to {int.MaxValue}), element {n} is {r.Describe()}");
            }

            if (n < 2)
            {
                hw[n] = v;
            }

            n++;
        }

        if (n != 2)
        {
            throw r.FieldError(what, $"expected [height, width], found {n} number{(n == 1 ? string.Empty : "s")}");
        }

        if ((ulong)hw[0] * (ulong)hw[1] > uint.MaxValue)
        {
            throw r.FieldError(what, string.Create(CultureInfo.InvariantCulture, $"[{hw[0]}, {hw[1]}] has more pixels than pycocotools' 32-bit run lengths can hold"));
        }

        return (hw[0], hw[1]);
    }
}
