using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Reads a COCO results file (a JSON array of <c>{image_id, category_id, bbox, score}</c>, with a
/// <c>segmentation</c> or <c>keypoints</c> for those evaluations) token by token and appends the detections to a
/// <see cref="ResultsBuilder"/> (pycocotools: <c>loadRes</c>, whose branch the first result picks).
/// </summary>
internal static class ResultsReader
{
    private const string Section = "results";

    /// <summary>Reads the results array of <paramref name="stream"/> into <paramref name="results"/>.</summary>
    /// <param name="stream">The file (or a part of it, see <see cref="JsonFileParts"/>).</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <param name="groundTruth">The ground truth every image id must belong to.</param>
    /// <param name="dropUnknownImages">Drop results on images not in the ground truth (counted) instead of failing.</param>
    /// <param name="results">Where the detections go.</param>
    /// <param name="stopAt">Stop before the result object that starts at this stream offset (a part of the file read
    /// in parallel ends there); when no result starts exactly there, read on to the end.</param>
    /// <param name="fastPaths">See <see cref="StreamingJsonReader"/> (false: the reference reading, for tests).</param>
    /// <returns>True when it stopped at <paramref name="stopAt"/>, false when it read the whole array.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Read(Stream stream, string path, CocoGroundTruth groundTruth, bool dropUnknownImages, ResultsBuilder results, long stopAt = long.MaxValue, bool fastPaths = true)
    {
        // COCO.loadRes: file order kept, ids = position + 1, area from the branch, iscrowd = 0.
        var r = new StreamingJsonReader(stream, path, fastPaths);
        r.Next();
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.ThrowExpected("a JSON array of results ({\"image_id\", \"category_id\", \"bbox\", \"score\"} objects)");
        }

        r.Section = Section;
        Span<double> box = stackalloc double[4];
        var masks = results.Segmentations;
        var points = results.Keypoints;
        for (int index = 0; r.NextObjectInArray(index, "a result object"); index++)
        {
            if (r.TokenOffset >= stopAt)
            {
                if (r.TokenOffset == stopAt)
                {
                    return true;
                }

                stopAt = long.MaxValue;
            }

            if (results.IouType != CocoIouType.Segm && ReadRun(ref r, groundTruth, dropUnknownImages, results, box, ref index, ref stopAt))
            {
                continue;
            }

            long imageId = 0, categoryId = 0;
            double score = 0;
            int boxCount = -1;
            SegmentationReader.Form? form = null;
            bool segmentationKey = false;
            Fields seen = Fields.None;
            int maskMark = masks?.Count ?? 0, pointMark = points?.Count ?? 0;
            while (true)
            {
                r.Next();
                if (r.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (r.PropertyIs("image_id"u8))
                {
                    r.Next();
                    imageId = r.GetInt64("image_id");
                    seen |= Fields.ImageId;
                }
                else if (r.PropertyIs("category_id"u8))
                {
                    r.Next();
                    categoryId = r.GetInt64("category_id");
                    seen |= Fields.CategoryId;
                }
                else if (r.PropertyIs("bbox"u8))
                {
                    r.Next();
                    // loadRes' bbox branch needs 4 numbers; the others allow [] (then they look for a mask or keypoints).
                    boxCount = GroundTruthReader.ReadBox(ref r, box, orEmpty: results.IouType != CocoIouType.Bbox);

                    seen |= Fields.Bbox;
                }
                else if (r.PropertyIs("score"u8))
                {
                    r.Next();
                    score = r.GetFiniteDouble("score");
                    seen |= Fields.Score;
                }
                else if (masks is not null && r.PropertyIs("segmentation"u8))
                {
                    r.Next();
                    masks.Truncate(maskMark); // json.load keeps the last of repeated keys
                    form = results.MaskReader.Read(ref r, masks);
                    segmentationKey = true;
                }
                else if (points is not null && r.PropertyIs("keypoints"u8))
                {
                    r.Next();
                    points.Truncate(pointMark);
                    GroundTruthReader.ReadKeypoints(ref r, points);
                }
                else
                {
                    // id, area and iscrowd are overwritten by loadRes; what the evaluation does not use is skipped
                    // (a segmentation still counts for the choice of loadRes' branch).
                    segmentationKey |= r.PropertyIs("segmentation"u8);
                    r.Next();
                    r.SkipValue();
                }
            }

            AddResult(ref r, groundTruth, dropUnknownImages, results, box, new(imageId, categoryId, score, boxCount, seen), form, segmentationKey, maskMark, pointMark);
        }

        r.Section = null;
        r.Index = -1;
        if (r.Read())
        {
            throw r.Error("unexpected content after the top-level array");
        }

        return false;
    }

    /// <summary>
    /// loadRes' rules for one result whose fields are read: the required fields, the image, the branch; then the
    /// detection is added (or dropped, with what it added to the mask and keypoint columns).
    /// </summary>
    private static void AddResult(ref StreamingJsonReader r, CocoGroundTruth groundTruth, bool dropUnknownImages, ResultsBuilder results, scoped Span<double> box, Record record, SegmentationReader.Form? form, bool segmentationKey, int maskMark, int pointMark)
    {
        var (imageId, categoryId, score, boxCount, seen) = record;
        var masks = results.Segmentations;
        var points = results.Keypoints;
        const Fields needed = Fields.ImageId | Fields.CategoryId | Fields.Score;
        if (results.IouType == CocoIouType.Bbox ? seen != Fields.All : (seen & needed) != needed)
        {
            string field = (seen & Fields.ImageId) == 0 ? "image_id"
                : (seen & Fields.CategoryId) == 0 ? "category_id"
                : (seen & Fields.Bbox) == 0 && results.IouType == CocoIouType.Bbox ? "bbox"
                : "score";
            throw r.FieldError(field, results.IouType == CocoIouType.Bbox
                ? "field is missing (every bbox result needs 'image_id', 'category_id', 'bbox' and 'score')"
                : "field is missing (every result needs 'image_id', 'category_id' and 'score')");
        }

        if (!groundTruth.ContainsImage(imageId))
        {
            if (dropUnknownImages)
            {
                results.Dropped++;
                masks?.Truncate(maskMark);
                points?.Truncate(pointMark);
                return;
            }

            throw r.FieldError("image_id", $"image id {imageId} is not in the ground truth {groundTruth.Source} (pycocotools: 'Results do not correspond to current coco set'; use --drop-unknown-images to drop such results)");
        }

        if (results.IouType == CocoIouType.Bbox)
        {
            results.Add(imageId, categoryId, box, score);
            return;
        }

        bool hasBox = boxCount == 4;
        bool hasPoints = points is not null && points.Count > pointMark;
        results.Branch ??= hasBox ? ResultsBranch.Box : segmentationKey ? ResultsBranch.Mask : hasPoints ? ResultsBranch.Points
            : throw r.Error(results.IouType == CocoIouType.Segm
                ? "has neither a 'bbox' nor a 'segmentation' (a segm result needs a mask: a compressed run-length 'segmentation', or a polygon one with its 'bbox')"
                : "has neither a 'bbox' nor 'keypoints' (a keypoints result needs 'keypoints')");
        double area = results.IouType == CocoIouType.Segm
            ? MaskResult(ref r, results, groundTruth, imageId, hasBox, form, box)
            : PointsResult(ref r, results, groundTruth, categoryId, hasBox, hasPoints, box);
        results.Add(imageId, categoryId, box, score, area);
    }

    /// <summary>
    /// Bbox or keypoints results read straight from the buffer (<see cref="RawScanner"/>), from the current '{' on, as
    /// long as they are made of plain keys, numbers and number arrays, as detectors write them: each is checked and
    /// added as the token reader's are, then the reader is moved past the last one (to it, the run was one empty
    /// object) and <paramref name="index"/> is that one's. False, with nothing consumed, when the first is anything
    /// else (a mask, a string, an integral float id, a repeated keypoints key, any error): the token reader then reads
    /// it, and reports it, as always. A run ends before the result at <paramref name="stopAt"/>, as the loop does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadRun(ref StreamingJsonReader r, CocoGroundTruth groundTruth, bool dropUnknownImages, ResultsBuilder results, scoped Span<double> box, ref int index, ref long stopAt)
    {
        if (!r.TryScan(out var s))
        {
            return false;
        }

        var points = results.Keypoints;
        int records = 0, lastClose = -1;
        while (true)
        {
            int pointMark = points?.Count ?? 0;
            if (!TryReadRecord(ref s, results, box, out var record))
            {
                break;
            }

            // Field errors name the record; none names a position, so the reader need not be there yet.
            r.Index = index + records;
            AddResult(ref r, groundTruth, dropUnknownImages, results, box, record, null, false, 0, pointMark);
            records++;
            lastClose = s.Position;
            if (!s.NextRecord())
            {
                break;
            }

            long offset = r.OffsetOfScanned(s.Position - 1);
            if (offset >= stopAt)
            {
                if (offset == stopAt)
                {
                    break;
                }

                stopAt = long.MaxValue;
            }
        }

        if (records == 0)
        {
            return false;
        }

        r.SkipScanned(lastClose);
        index += records - 1;
        return true;
    }

    /// <summary>
    /// One result's body, after its '{', up to its '}' (the scanner's Position at it); false, with no column changed,
    /// for anything but plain keys, numbers and number arrays (see <see cref="ReadRun"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadRecord(ref RawScanner s, ResultsBuilder results, scoped Span<double> box, out Record record)
    {
        record = default;
        var points = results.Keypoints;
        int pointMark = points?.Count ?? 0;
        long image = 0, category = 0;
        double value = 0;
        int boxes = -1;
        var found = Fields.None;
        Span<double> b = stackalloc double[4];
        bool ok = true, more = !s.AtRecordEnd();
        while (ok && more)
        {
            if (!s.TryKey(out var key))
            {
                ok = false;
            }
            else if (key.SequenceEqual("image_id"u8))
            {
                ok = s.TryInteger(out image);
                found |= Fields.ImageId;
            }
            else if (key.SequenceEqual("category_id"u8))
            {
                ok = s.TryInteger(out category);
                found |= Fields.CategoryId;
            }
            else if (key.SequenceEqual("bbox"u8))
            {
                boxes = s.NumberArray(b);
                ok = boxes == 4 || (boxes == 0 && results.IouType != CocoIouType.Bbox);
                found |= Fields.Bbox;
            }
            else if (key.SequenceEqual("score"u8))
            {
                ok = s.TryNumber(out value);
                found |= Fields.Score;
            }
            else if (points is not null && key.SequenceEqual("keypoints"u8))
            {
                ok = points.Count == pointMark && GroundTruthReader.TryScanKeypoints(ref s, points);
            }
            else
            {
                // A segmentation decides loadRes' branch: the token reader's affair.
                ok = !key.SequenceEqual("segmentation"u8) && s.SkipNumbersValue();
            }

            ok = ok && s.AfterMember(out more);
        }

        if (!ok)
        {
            points?.Truncate(pointMark);
            return false;
        }

        b.CopyTo(box);
        record = new(image, category, value, boxes, found);
        return true;
    }

    /// <summary>A segm result after its fields are read: checks it fits the branch; returns its area, fills its box.</summary>
    private static double MaskResult(ref StreamingJsonReader r, ResultsBuilder results, CocoGroundTruth groundTruth, long imageId, bool hasBox, SegmentationReader.Form? form, scoped Span<double> box)
    {
        var masks = results.Segmentations!;
        int i = masks.Count - 1;
        if (results.Branch == ResultsBranch.Box)
        {
            if (!hasBox)
            {
                throw r.FieldError("bbox", "missing, but the first result has one: pycocotools' loadRes then reads every result as box + mask (area = w * h) and fails on this one; give every result a 'bbox', or none");
            }

            if (form is null)
            {
                throw r.FieldError("segmentation", "missing: a segm evaluation needs every result's mask (a file that mixes box-only and mask results is not one evaluation; pycocotools would score this box as a rectangle mask)");
            }
        }
        else
        {
            if (form is null)
            {
                throw r.FieldError("segmentation", "missing: the first result is a mask without a bbox, so pycocotools' loadRes takes every result's area from its mask and fails on this one");
            }

            if (form == SegmentationReader.Form.Polygons)
            {
                throw r.FieldError("segmentation", hasBox
                    ? "a polygon list, but the first result has no bbox: pycocotools' loadRes then computes every result's area from its mask, which it can do only for compressed run-length masks (it fails on polygons); give every result its 'bbox', or encode the polygons as compressed RLE (pycocotools.mask.frPyObjects + merge)"
                    : "a polygon list and no bbox: pycocotools' loadRes computes such a result's area from its mask, which it can do only for compressed run-length masks (it fails on polygons); give every result its 'bbox', or encode the polygons as compressed RLE (pycocotools.mask.frPyObjects + merge)");
            }

            if (form == SegmentationReader.Form.CountsList)
            {
                throw r.FieldError("segmentation.counts", "an uncompressed run-length mask (counts as a list) without the bbox branch: pycocotools' loadRes reads result masks as compressed strings only and fails on it; compress it (pycocotools.mask.frPyObjects) or give every result its 'bbox'");
            }
        }

        groundTruth.TryGetImage(imageId, out var image);
        if (form == SegmentationReader.Form.Polygons)
        {
            // annToRLE on the results: h, w from the (ground truth's) image.
            if (image is not { Height: int h and >= 0, Width: int w and >= 0 })
            {
                throw r.FieldError("segmentation", $"polygons need the image's size, but image {imageId} has no 'height' and 'width' in the ground truth");
            }

            masks.SetSize(i, (uint)h, (uint)w);
        }
        else
        {
            GroundTruthReader.CheckMaskSize(r.Path, string.Create(CultureInfo.InvariantCulture, $"{Section}[{r.Index}]"), imageId, image, masks.SizeOf(i));
        }

        if (results.Branch == ResultsBranch.Box)
        {
            return box[2] * box[3];
        }

        // Mask branch: area = maskUtils.area(segm); bbox = maskUtils.toBbox(segm) when absent (found as it was read).
        if (!hasBox)
        {
            masks.BoxOf(i, box);
        }

        return MaskApi.Area(masks.CountsOf(i));
    }

    /// <summary>A keypoints result after its fields are read: checks it fits the branch; returns its area, fills its box.</summary>
    private static double PointsResult(ref StreamingJsonReader r, ResultsBuilder results, CocoGroundTruth groundTruth, long categoryId, bool hasBox, bool hasPoints, scoped Span<double> box)
    {
        if (!hasPoints)
        {
            throw r.FieldError("keypoints", "missing (a keypoints evaluation needs every result's keypoints)");
        }

        var points = results.Keypoints!;
        var xyv = points.Of(points.Count - 1);
        if (groundTruth.TryGetCategory(categoryId, out var category) && category.KeypointCount is int declared && xyv.Length != 3 * declared)
        {
            throw r.FieldError("keypoints", $"{xyv.Length} numbers, but category {category.Id} '{category.Name}' declares {declared} keypoints ({3 * declared} numbers: x, y, v each)");
        }

        switch (results.Branch)
        {
            case ResultsBranch.Box:
                if (!hasBox)
                {
                    throw r.FieldError("bbox", "missing, but the first result has one: pycocotools' loadRes then takes every result's area from its bbox (w * h) and fails on this one; give every result a 'bbox', or none");
                }

                return box[2] * box[3];
            case ResultsBranch.Mask:
                throw r.Error("the first result has a 'segmentation' and no 'bbox', so pycocotools' loadRes would take keypoint results' areas from their masks; keypoint results with masks are not supported: give every result its 'bbox' (area = w * h) or leave the masks out (area from the keypoints)");
            default:
                // x0, x1, y0, y1 = np.min(x), np.max(x), np.min(y), np.max(y) over every keypoint, zeros included.
                double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = double.PositiveInfinity, y1 = double.NegativeInfinity;
                for (int j = 0; j + 2 < xyv.Length; j += 3)
                {
                    x0 = Math.Min(x0, xyv[j]);
                    x1 = Math.Max(x1, xyv[j]);
                    y0 = Math.Min(y0, xyv[j + 1]);
                    y1 = Math.Max(y1, xyv[j + 1]);
                }

                box[0] = x0;
                box[1] = y0;
                box[2] = x1 - x0;
                box[3] = y1 - y0;
                return (x1 - x0) * (y1 - y0);
        }
    }

    /// <summary>The fields of one result that loadRes' rules look at (masks and keypoints are in their columns).</summary>
    private readonly record struct Record(long ImageId, long CategoryId, double Score, int BoxCount, Fields Seen);

    [Flags]
    private enum Fields
    {
        None = 0,
        ImageId = 1,
        CategoryId = 2,
        Bbox = 4,
        Score = 8,
        All = 15,
    }
}
