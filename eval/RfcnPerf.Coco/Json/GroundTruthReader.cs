using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Reads a COCO ground-truth file token by token into <see cref="CocoGroundTruth"/> (pycocotools: <c>COCO(gt)</c>
/// and <c>createIndex</c>). Fields the evaluation does not use (segmentations for bbox, keypoints unless asked, info,
/// licenses, ...) are skipped without being kept.
/// </summary>
internal static class GroundTruthReader
{
    private const string AnnotationsSection = "annotations";

    /// <summary>Reads a whole ground-truth file with one reader.</summary>
    /// <param name="stream">The file.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <param name="iouType">What is read besides boxes.</param>
    /// <param name="fastPaths">See <see cref="StreamingJsonReader"/> (false: the reference reading, for tests).</param>
    public static CocoGroundTruth Read(Stream stream, string path, CocoIouType iouType = CocoIouType.Bbox, bool fastPaths = true)
    {
        var sections = new Sections(iouType, stream.CanSeek ? stream.Length - stream.Position : 0);
        ReadSections(stream, path, sections, fastPaths: fastPaths);
        return sections.Finish(path);
    }

    /// <summary>
    /// Reads the top-level object (or, for a part of the file read in parallel, what of it the stream holds) into
    /// <paramref name="into"/>.
    /// </summary>
    /// <param name="stream">The file, or a part of it behind a prefix that reopens the annotations array.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <param name="into">Where images, categories and annotations go.</param>
    /// <param name="stopAt">Stop before the annotation object that starts at this stream offset (the next part begins
    /// there); when no annotation starts exactly there, read on to the end.</param>
    /// <param name="fastPaths">See <see cref="StreamingJsonReader"/>.</param>
    /// <returns>True when it stopped at <paramref name="stopAt"/>, false when it read the whole object.</returns>
    public static bool ReadSections(Stream stream, string path, Sections into, long stopAt = long.MaxValue, bool fastPaths = true)
    {
        // COCO.__init__ + COCO.createIndex (imgs, cats, anns; imgToAnns is built by CellIndex).
        var r = new StreamingJsonReader(stream, path, fastPaths);
        r.Next();
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.ThrowExpected("a JSON object with 'images', 'annotations' and 'categories' (COCO ground truth)");
        }

        while (true)
        {
            r.Next();
            if (r.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (r.PropertyIs("images"u8))
            {
                r.Next();
                ReadImages(ref r, into.Images, into.ImageIndex);
                into.SeenImages = true;
            }
            else if (r.PropertyIs("annotations"u8))
            {
                r.Next();
                into.SeenAnnotations = true;
                if (ReadAnnotations(ref r, into.Annotations, ref stopAt))
                {
                    return true;
                }
            }
            else if (r.PropertyIs("categories"u8))
            {
                r.Next();
                ReadCategories(ref r, into.Categories, into.Annotations.Keypoints is not null);
                into.SeenCategories = true;
            }
            else
            {
                r.Next();
                r.SkipValue();
            }
        }

        if (r.Read())
        {
            throw r.Error("unexpected content after the top-level object");
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadImages(ref StreamingJsonReader r, List<CocoImage> images, Dictionary<long, int> imageIndex)
    {
        r.Section = "images";
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.ThrowExpected("an array");
        }

        for (int index = 0; r.NextObjectInArray(index, "an image object"); index++)
        {
            long id = 0;
            bool hasId = false;
            string? fileName = null;
            int? width = null, height = null;
            while (true)
            {
                r.Next();
                if (r.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (r.PropertyIs("id"u8))
                {
                    r.Next();
                    id = r.GetInt64("id");
                    hasId = true;
                }
                else if (r.PropertyIs("file_name"u8))
                {
                    r.Next();
                    fileName = r.TokenType == JsonTokenType.Null ? null : r.GetString("file_name");
                }
                else if (r.PropertyIs("width"u8))
                {
                    r.Next();
                    width = r.TokenType == JsonTokenType.Null ? null : GetInt32(ref r, "width");
                }
                else if (r.PropertyIs("height"u8))
                {
                    r.Next();
                    height = r.TokenType == JsonTokenType.Null ? null : GetInt32(ref r, "height");
                }
                else
                {
                    r.Next();
                    r.SkipValue();
                }
            }

            if (!hasId)
            {
                throw r.FieldError("id", "field is missing (every image needs an 'id')");
            }

            AddImage(images, imageIndex, new CocoImage(id, fileName, width, height));
        }

        r.Section = null;
    }

    private static void AddImage(List<CocoImage> images, Dictionary<long, int> imageIndex, CocoImage image)
    {
        if (imageIndex.TryGetValue(image.Id, out int existing))
        {
            // Python dict semantics: a repeated key keeps its position and takes the new value.
            images[existing] = image;
        }
        else
        {
            imageIndex[image.Id] = images.Count;
            images.Add(image);
        }
    }

    private static void ReadCategories(ref StreamingJsonReader r, Dictionary<long, CocoCategory> categories, bool keypoints)
    {
        r.Section = "categories";
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.ThrowExpected("an array");
        }

        for (int index = 0; r.NextObjectInArray(index, "a category object"); index++)
        {
            long id = 0;
            bool hasId = false;
            string name = string.Empty;
            string? supercategory = null;
            int? keypointCount = null;
            while (true)
            {
                r.Next();
                if (r.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (r.PropertyIs("id"u8))
                {
                    r.Next();
                    id = r.GetInt64("id");
                    hasId = true;
                }
                else if (r.PropertyIs("name"u8))
                {
                    r.Next();
                    name = r.TokenType == JsonTokenType.Null ? string.Empty : r.GetString("name");
                }
                else if (r.PropertyIs("supercategory"u8))
                {
                    r.Next();
                    supercategory = r.TokenType == JsonTokenType.Null ? null : r.GetString("supercategory");
                }
                else if (keypoints && r.PropertyIs("keypoints"u8))
                {
                    r.Next();
                    keypointCount = CountNames(ref r);
                }
                else
                {
                    r.Next();
                    r.SkipValue();
                }
            }

            if (!hasId)
            {
                throw r.FieldError("id", "field is missing (every category needs an 'id')");
            }

            categories[id] = new CocoCategory(id, name, supercategory) { KeypointCount = keypointCount };
        }

        r.Section = null;
    }

    /// <summary>Reads the annotations array; true when it stopped before the annotation at <paramref name="stopAt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadAnnotations(ref StreamingJsonReader r, AnnotationBuilder annotations, ref long stopAt)
    {
        r.Section = AnnotationsSection;
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.ThrowExpected("an array");
        }

        Span<double> box = stackalloc double[4];
        for (int index = 0; r.NextObjectInArray(index, "an annotation object"); index++)
        {
            if (r.TokenOffset >= stopAt)
            {
                if (r.TokenOffset == stopAt)
                {
                    return true;
                }

                stopAt = long.MaxValue;
            }

            long id = 0, imageId = 0, categoryId = 0;
            double area = 0, crowd = 0, numKeypoints = double.NaN;
            bool segmentation = false, keypoints = false;
            Fields seen = Fields.None;
            var record = default(Record);
            bool fast = annotations.Segmentations is null && TryReadFast(ref r, annotations, box, out record);
            if (fast)
            {
                (id, imageId, categoryId, area, crowd, numKeypoints, keypoints, seen) = record;
            }

            while (!fast)
            {
                r.Next();
                if (r.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (r.PropertyIs("id"u8))
                {
                    r.Next();
                    id = r.GetInt64("id");
                    seen |= Fields.Id;
                }
                else if (r.PropertyIs("image_id"u8))
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
                    ReadBox(ref r, box);
                    seen |= Fields.Bbox;
                }
                else if (r.PropertyIs("area"u8))
                {
                    r.Next();
                    area = r.GetFiniteDouble("area");
                    seen |= Fields.Area;
                }
                else if (r.PropertyIs("iscrowd"u8))
                {
                    r.Next();
                    crowd = r.TokenType switch
                    {
                        JsonTokenType.True => 1,
                        JsonTokenType.False => 0,
                        JsonTokenType.Number => r.GetFiniteDouble("iscrowd"),
                        _ => throw r.FieldError("iscrowd", $"expected 0 or 1, found {r.Describe()}"),
                    };
                    seen |= Fields.IsCrowd;
                }
                else if (annotations.Segmentations is { } masks && r.PropertyIs("segmentation"u8))
                {
                    r.Next();
                    if (segmentation)
                    {
                        // json.load keeps the last of repeated keys.
                        masks.Truncate(masks.Count - 1);
                    }

                    annotations.MaskReader.Read(ref r, masks);
                    segmentation = true;
                }
                else if (annotations.Keypoints is { } points && r.PropertyIs("keypoints"u8))
                {
                    r.Next();
                    if (keypoints)
                    {
                        points.Truncate(points.Count - 1);
                    }

                    ReadKeypoints(ref r, points);
                    keypoints = true;
                }
                else if (annotations.Keypoints is not null && r.PropertyIs("num_keypoints"u8))
                {
                    r.Next();
                    numKeypoints = r.GetFiniteDouble("num_keypoints");
                }
                else
                {
                    r.Next();
                    r.SkipValue();
                }
            }

            if (seen != Fields.All)
            {
                string field = MissingField(seen);
                throw r.FieldError(field, $"field is missing (every ground-truth annotation needs 'id', 'image_id', 'category_id', 'bbox', 'area' and 'iscrowd'; pycocotools fails with KeyError('{field}'))");
            }

            if (annotations.Segmentations is { } noMask && !segmentation)
            {
                noMask.AddNone();
            }

            if (annotations.Keypoints is { } noPoints && !keypoints)
            {
                noPoints.AddMissing();
            }

            annotations.Add(id, imageId, categoryId, box, area, CrowdFlags(crowd), numKeypoints);
        }

        r.Section = null;
        return false;
    }

    /// <summary>
    /// A bbox or keypoints annotation read straight from the buffer (<see cref="RawScanner"/>) when it is made of plain
    /// keys, numbers and number arrays (polygons included, skipped); false, with nothing consumed and no column changed,
    /// for anything else (a run-length mask, a string, true or false, an integral float id, a repeated keypoints key,
    /// any error), which the token reader then reads, and reports, as always.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryReadFast(ref StreamingJsonReader r, AnnotationBuilder annotations, scoped Span<double> box, out Record record)
    {
        record = default;
        if (!r.TryScan(out var s))
        {
            return false;
        }

        var points = annotations.Keypoints;
        int pointMark = points?.Count ?? 0;
        var a = new Record { NumKeypoints = double.NaN };
        Span<double> b = stackalloc double[4];
        bool ok = true, more = !s.AtRecordEnd();
        while (ok && more)
        {
            if (!s.TryKey(out var key))
            {
                ok = false;
            }
            else if (key.SequenceEqual("id"u8))
            {
                ok = s.TryInteger(out a.Id);
                a.Seen |= Fields.Id;
            }
            else if (key.SequenceEqual("image_id"u8))
            {
                ok = s.TryInteger(out a.ImageId);
                a.Seen |= Fields.ImageId;
            }
            else if (key.SequenceEqual("category_id"u8))
            {
                ok = s.TryInteger(out a.CategoryId);
                a.Seen |= Fields.CategoryId;
            }
            else if (key.SequenceEqual("bbox"u8))
            {
                ok = s.NumberArray(b) == 4;
                a.Seen |= Fields.Bbox;
            }
            else if (key.SequenceEqual("area"u8))
            {
                ok = s.TryNumber(out a.Area);
                a.Seen |= Fields.Area;
            }
            else if (key.SequenceEqual("iscrowd"u8))
            {
                ok = s.TryNumber(out a.Crowd);
                a.Seen |= Fields.IsCrowd;
            }
            else if (points is not null && key.SequenceEqual("keypoints"u8))
            {
                ok = !a.Keypoints && TryScanKeypoints(ref s, points);
                a.Keypoints = true;
            }
            else if (points is not null && key.SequenceEqual("num_keypoints"u8))
            {
                ok = s.TryNumber(out a.NumKeypoints);
            }
            else
            {
                ok = s.SkipNumbersValue();
            }

            ok = ok && s.AfterMember(out more);
        }

        if (!ok)
        {
            points?.Truncate(pointMark);
            return false;
        }

        r.SkipScanned(s.Position);
        b.CopyTo(box);
        record = a;
        return true;
    }

    /// <summary>
    /// Reads <c>[x, y, w, h]</c>: exactly 4 finite numbers, or (when <paramref name="orEmpty"/>) none; returns the
    /// count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int ReadBox(ref StreamingJsonReader r, scoped Span<double> box, bool orEmpty = false)
    {
        string expected = orEmpty ? "[x, y, width, height] (4 finite numbers) or []" : "[x, y, width, height] (4 finite numbers)";
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw r.FieldError("bbox", $"expected {expected}, found {r.Describe()}");
        }

        // More than 4 numbers, or anything but numbers, goes the token-by-token way, which names what it finds.
        int count = r.TryReadNumbers(box);
        if (count < 0)
        {
            count = 0;
            while (true)
            {
                r.Next();
                if (r.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                if (r.TokenType != JsonTokenType.Number)
                {
                    throw r.FieldError("bbox", $"expected {expected}, element {count} is {r.Describe()}");
                }

                double v = r.GetFiniteDouble("bbox");
                if (count < 4)
                {
                    box[count] = v;
                }

                count++;
            }
        }

        if (count != 4 && !(orEmpty && count == 0))
        {
            throw r.FieldError("bbox", $"expected {expected}, found {count} number{(count == 1 ? string.Empty : "s")}");
        }

        return count;
    }

    /// <summary>Reads a <c>keypoints</c> list straight into its column: finite numbers, x, y, v for each keypoint.</summary>
    internal static void ReadKeypoints(ref StreamingJsonReader r, KeypointArrays.Builder into)
    {
        int from = into.Values.Count;
        int count = r.ReadNumbers("keypoints", "a list of numbers [x1, y1, v1, x2, y2, v2, ...]", into.Values);
        if (count % 3 != 0 || count == 0)
        {
            throw r.FieldError("keypoints", $"expected x, y, v for each keypoint (a non-zero multiple of 3 numbers), found {count} number{(count == 1 ? string.Empty : "s")}");
        }

        into.AddAppended(from);
    }

    /// <summary>
    /// A keypoints list scanned straight into its column (<see cref="RawScanner"/>); false, with the column unchanged,
    /// for anything <see cref="ReadKeypoints"/> would refuse or read token by token.
    /// </summary>
    internal static bool TryScanKeypoints(ref RawScanner s, KeypointArrays.Builder into)
    {
        int from = into.Values.Count;
        int count = s.NumberArray(into.Values);
        if (count <= 0 || count % 3 != 0)
        {
            into.Values.Truncate(from);
            return false;
        }

        into.AddAppended(from);
        return true;
    }

    /// <summary>
    /// A run-length mask must have its image's size: pycocotools gives a pair of masks of different sizes IoU -1
    /// (never a match), which here is an error instead; so every image with a mask needs its height and width.
    /// </summary>
    internal static void CheckMaskSize(string path, string record, long imageId, CocoImage? image, (uint Height, uint Width) size)
    {
        if (image is not { Height: int h, Width: int w })
        {
            throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{path}: {record}.segmentation: image {imageId} {(image is null ? "is not in the ground truth's 'images'" : "has no 'height' and 'width' in the ground truth")}, so the mask's size cannot be checked against it"));
        }

        if (size != ((uint)h, (uint)w))
        {
            throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{path}: {record}.segmentation.size: [{size.Height}, {size.Width}] differs from image {imageId}'s [height, width] [{h}, {w}] (pycocotools gives such a mask IoU -1, so it can never match)"));
        }
    }

    private static int CountNames(ref StreamingJsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw r.FieldError("keypoints", $"expected the list of keypoint names, found {r.Describe()}");
        }

        int n = 0;
        while (true)
        {
            r.Next();
            if (r.TokenType == JsonTokenType.EndArray)
            {
                return n;
            }

            r.SkipValue();
            n++;
        }
    }

    private static int GetInt32(ref StreamingJsonReader r, string field)
    {
        long v = r.GetInt64(field);
        if (v is < int.MinValue or > int.MaxValue)
        {
            throw r.FieldError(field, $"expected a 32-bit integer, found {v}");
        }

        return (int)v;
    }

    private static GroundTruthFlags CrowdFlags(double crowd)
    {
        var flags = GroundTruthFlags.None;
        if (crowd != 0)
        {
            flags |= GroundTruthFlags.Ignore;
        }

        double truncated = Math.Truncate(crowd);
        if (truncated != 0)
        {
            flags |= GroundTruthFlags.CrowdMatch;

            // np.array([int(iscrowd)], dtype=np.uint8) keeps the low byte (numpy 1.24 wraps, with a warning).
            if (Math.Abs(truncated) >= 9.2e18 || ((long)truncated & 0xFF) != 0)
            {
                flags |= GroundTruthFlags.CrowdIou;
            }
        }

        return flags;
    }

    private static string MissingField(Fields seen) =>
        (seen & Fields.Id) == 0 ? "id"
        : (seen & Fields.ImageId) == 0 ? "image_id"
        : (seen & Fields.CategoryId) == 0 ? "category_id"
        : (seen & Fields.Bbox) == 0 ? "bbox"
        : (seen & Fields.Area) == 0 ? "area"
        : "iscrowd";

    /// <summary>What <see cref="TryReadFast"/> read of one annotation.</summary>
    private struct Record
    {
        public long Id;
        public long ImageId;
        public long CategoryId;
        public double Area;
        public double Crowd;
        public double NumKeypoints;
        public bool Keypoints;
        public Fields Seen;

        public readonly void Deconstruct(out long id, out long imageId, out long categoryId, out double area, out double crowd, out double numKeypoints, out bool keypoints, out Fields seen) =>
            (id, imageId, categoryId, area, crowd, numKeypoints, keypoints, seen) = (Id, ImageId, CategoryId, Area, Crowd, NumKeypoints, Keypoints, Seen);
    }

    [Flags]
    private enum Fields
    {
        None = 0,
        Id = 1,
        ImageId = 2,
        CategoryId = 4,
        Bbox = 8,
        Area = 16,
        IsCrowd = 32,
        All = 63,
    }

    /// <summary>What a reading of the top-level object found: the file's, or one part's (see <see cref="ParallelGroundTruth"/>).</summary>
    /// <param name="iouType">What is read besides boxes.</param>
    /// <param name="bytes">Size of what will be read, for first guesses at the columns' sizes (0: none).</param>
    internal sealed class Sections(CocoIouType iouType, long bytes = 0)
    {
        public CocoIouType IouType { get; } = iouType;

        public List<CocoImage> Images { get; } = [];

        public Dictionary<long, int> ImageIndex { get; } = [];

        public Dictionary<long, CocoCategory> Categories { get; } = [];

        public AnnotationBuilder Annotations { get; } = new(iouType, bytes);

        public bool SeenImages { get; set; }

        public bool SeenAnnotations { get; set; }

        public bool SeenCategories { get; set; }

        /// <summary>
        /// Adds what the next part of the same file read, as one reader would have met it: its annotations after
        /// these, its images and categories (sections after the annotations) inserted after these ones.
        /// </summary>
        public void Append(Sections later)
        {
            foreach (var image in later.Images)
            {
                AddImage(Images, ImageIndex, image);
            }

            foreach (var (id, category) in later.Categories)
            {
                Categories[id] = category;
            }

            Annotations.Append(later.Annotations);
            SeenImages |= later.SeenImages;
            SeenAnnotations |= later.SeenAnnotations;
            SeenCategories |= later.SeenCategories;
        }

        /// <summary>The checks that need the whole file, then the ground truth.</summary>
        public CocoGroundTruth Finish(string path)
        {
            string? missing = !SeenImages ? "images" : !SeenAnnotations ? "annotations" : !SeenCategories ? "categories" : null;
            if (missing is not null)
            {
                throw new CocoException($"{path}: the top-level field '{missing}' is missing (a COCO ground-truth file has 'images', 'annotations' and 'categories')");
            }

            return new CocoGroundTruth(path, Images, ImageIndex, [.. Categories.Values], Annotations.Build(path, Images, ImageIndex, Categories), IouType);
        }
    }

    /// <param name="iouType">What is read besides boxes.</param>
    /// <param name="bytes">Size of what will be read, for first guesses at the columns' sizes (0: none): an annotation
    /// takes 64 bytes or more (about 140 without its polygons), a polygon coordinate about 8, a keypoint number about 6.
    /// The guesses lean high: room that is never written is never touched, while outgrowing a column copies it.</param>
    internal sealed class AnnotationBuilder(CocoIouType iouType, long bytes = 0)
    {
        private const int MinAnnotationBytes = 64;

        private readonly GrowableArray<long> id = new(bytes / MinAnnotationBytes);
        private readonly GrowableArray<long> imageId = new(bytes / MinAnnotationBytes);
        private readonly GrowableArray<long> categoryId = new(bytes / MinAnnotationBytes);
        private readonly GrowableArray<double> box = new(4 * (bytes / MinAnnotationBytes));
        private readonly GrowableArray<double> area = new(bytes / MinAnnotationBytes);
        private readonly GrowableArray<GroundTruthFlags> flags = new(bytes / MinAnnotationBytes);
        private readonly GrowableArray<double> numKeypoints = new(iouType == CocoIouType.Keypoints ? bytes / MinAnnotationBytes : 0);

        /// <summary>The builders of the parts read after this one (see <see cref="Append"/>).</summary>
        private readonly List<AnnotationBuilder> later = [];

        public SegmentationBuilder? Segmentations { get; } = iouType == CocoIouType.Segm ? new(bytes / 8, bytes / 64) : null;

        public SegmentationReader MaskReader { get; } = new();

        public KeypointArrays.Builder? Keypoints { get; } = iouType == CocoIouType.Keypoints ? new(bytes / 6) : null;

        /// <summary>Takes the annotations another builder read after these (the next part of the file), joined in <see cref="Build"/>.</summary>
        public void Append(AnnotationBuilder next)
        {
            later.Add(next);
            Segmentations?.Append(next.Segmentations!);
        }

        public void Add(long annId, long annImageId, long annCategoryId, ReadOnlySpan<double> annBox, double annArea, GroundTruthFlags annFlags, double annNumKeypoints)
        {
            id.Add(annId);
            imageId.Add(annImageId);
            categoryId.Add(annCategoryId);
            box.AddRange(annBox);
            area.Add(annArea);
            flags.Add(annFlags);
            if (Keypoints is not null)
            {
                numKeypoints.Add(annNumKeypoints);
            }
        }

        /// <summary>
        /// The annotations of this part and the appended ones, in order, each column joined into an array of its exact
        /// length (<see cref="PartJoin"/>), after the checks that need the whole file. The builders are done.
        /// </summary>
        public AnnotationArrays Build(string path, List<CocoImage> images, Dictionary<long, int> imageIndex, Dictionary<long, CocoCategory> categories)
        {
            List<AnnotationBuilder> parts = [this, .. later];
            int[] at = PartJoin.Offsets(parts, p => p.id.Count);
            int total = at[^1];
            var ids = LargeArray.Uninitialized<long>(total);
            var imageIds = LargeArray.Uninitialized<long>(total);
            var categoryIds = LargeArray.Uninitialized<long>(total);
            var boxes = LargeArray.Uninitialized<double>(checked(4 * total));
            var areas = LargeArray.Uninitialized<double>(total);
            var allFlags = LargeArray.Uninitialized<GroundTruthFlags>(total);
            var counts = Keypoints is null ? null : LargeArray.Uninitialized<double>(total);
            PartJoin.Copy(parts.Count, p =>
            {
                var part = parts[p];
                part.id.CopyTo(ids, at[p]);
                part.imageId.CopyTo(imageIds, at[p]);
                part.categoryId.CopyTo(categoryIds, at[p]);
                part.box.CopyTo(boxes, 4 * at[p]);
                part.area.CopyTo(areas, at[p]);
                part.flags.CopyTo(allFlags, at[p]);
                if (counts is not null)
                {
                    part.numKeypoints.CopyTo(counts, at[p]);
                }
            });

            var keypoints = Keypoints is null ? null : KeypointArrays.Builder.Build([.. parts.Select(p => p.Keypoints!)]);
            Check(path, imageIds, categoryIds, keypoints, images, imageIndex, categories);
            return new(ids, imageIds, categoryIds, boxes, areas, allFlags, Segmentations?.Build(), keypoints, counts);
        }

        /// <summary>
        /// Checks that need the whole file (images and categories may follow the annotations): a polygon takes its
        /// image's size, a mask must have it, and keypoints must number what their category declares.
        /// </summary>
        private void Check(string path, long[] imageIds, long[] categoryIds, KeypointArrays? keypoints, List<CocoImage> images, Dictionary<long, int> imageIndex, Dictionary<long, CocoCategory> categories)
        {
            for (int i = 0; i < imageIds.Length; i++)
            {
                if (Segmentations is { } masks && masks.KindOf(i) != SegmentationKind.None)
                {
                    CocoImage? image = imageIndex.TryGetValue(imageIds[i], out int slot) ? images[slot] : null;
                    if (masks.KindOf(i) == SegmentationKind.Polygons)
                    {
                        // annToRLE: h, w = imgs[image_id]['height'], ['width'].
                        if (image is not { Height: int h and >= 0, Width: int w and >= 0 })
                        {
                            throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{path}: annotations[{i}].segmentation: polygons need the image's size, but image {imageIds[i]} {(image is null ? "is not in 'images'" : "has no 'height' and 'width'")}"));
                        }

                        masks.SetSize(i, (uint)h, (uint)w);
                    }
                    else
                    {
                        CheckMaskSize(path, $"annotations[{i}]", imageIds[i], image, masks.SizeOf(i));
                    }
                }

                if (keypoints is not null && keypoints.Length[i] >= 0
                    && categories.TryGetValue(categoryIds[i], out var category) && category.KeypointCount is int declared
                    && keypoints.Length[i] != 3 * declared)
                {
                    throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{path}: annotations[{i}].keypoints: {keypoints.Length[i]} numbers, but category {category.Id} '{category.Name}' declares {declared} keypoints ({3 * declared} numbers: x, y, v each)"));
                }
            }
        }
    }
}
