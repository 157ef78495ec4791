using System.Runtime.CompilerServices;
using System.Text.Json;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Reads a COCO ground-truth file token by token into <see cref="CocoGroundTruth"/> (pycocotools: <c>COCO(gt)</c>
/// and <c>createIndex</c>). Fields the bbox evaluation does not use (segmentation, info, licenses, ...) are
/// skipped without being kept.
/// </summary>
internal static class GroundTruthReader
{
    private const string AnnotationsSection = "annotations";

    public static CocoGroundTruth Read(Stream stream, string path)
    {
        // COCO.__init__ + COCO.createIndex (imgs, cats, anns; imgToAnns is built by CellIndex).
        var r = new StreamingJsonReader(stream, path);
        r.Next();
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.ThrowExpected("a JSON object with 'images', 'annotations' and 'categories' (COCO ground truth)");
        }

        var images = new List<CocoImage>();
        var imageIndex = new Dictionary<long, int>();
        var categories = new Dictionary<long, CocoCategory>();
        var annotations = new AnnotationBuilder();
        bool seenImages = false, seenAnnotations = false, seenCategories = false;
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
                ReadImages(ref r, images, imageIndex);
                seenImages = true;
            }
            else if (r.PropertyIs("annotations"u8))
            {
                r.Next();
                ReadAnnotations(ref r, annotations);
                seenAnnotations = true;
            }
            else if (r.PropertyIs("categories"u8))
            {
                r.Next();
                ReadCategories(ref r, categories);
                seenCategories = true;
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

        string? missing = !seenImages ? "images" : !seenAnnotations ? "annotations" : !seenCategories ? "categories" : null;
        if (missing is not null)
        {
            throw new CocoException($"{path}: the top-level field '{missing}' is missing (a COCO ground-truth file has 'images', 'annotations' and 'categories')");
        }

        return new CocoGroundTruth(path, images, imageIndex, [.. categories.Values], annotations.Build());
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

            var image = new CocoImage(id, fileName, width, height);
            if (imageIndex.TryGetValue(id, out int existing))
            {
                // Python dict semantics: a repeated key keeps its position and takes the new value.
                images[existing] = image;
            }
            else
            {
                imageIndex[id] = images.Count;
                images.Add(image);
            }
        }

        r.Section = null;
    }

    private static void ReadCategories(ref StreamingJsonReader r, Dictionary<long, CocoCategory> categories)
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

            categories[id] = new CocoCategory(id, name, supercategory);
        }

        r.Section = null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadAnnotations(ref StreamingJsonReader r, AnnotationBuilder annotations)
    {
        r.Section = AnnotationsSection;
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.ThrowExpected("an array");
        }

        Span<double> box = stackalloc double[4];
        for (int index = 0; r.NextObjectInArray(index, "an annotation object"); index++)
        {
            long id = 0, imageId = 0, categoryId = 0;
            double area = 0, crowd = 0;
            Fields seen = Fields.None;
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

            annotations.Add(id, imageId, categoryId, box, area, CrowdFlags(crowd));
        }

        r.Section = null;
    }

    /// <summary>Reads <c>[x, y, w, h]</c>: exactly 4 finite numbers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ReadBox(ref StreamingJsonReader r, scoped Span<double> box)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw r.FieldError("bbox", $"expected [x, y, width, height] (4 finite numbers), found {r.Describe()}");
        }

        int count = 0;
        while (true)
        {
            r.Next();
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (r.TokenType != JsonTokenType.Number)
            {
                throw r.FieldError("bbox", $"expected [x, y, width, height] (4 finite numbers), element {count} is {r.Describe()}");
            }

            double v = r.GetFiniteDouble("bbox");
            if (count < 4)
            {
                box[count] = v;
            }

            count++;
        }

        if (count != 4)
        {
            throw r.FieldError("bbox", $"expected [x, y, width, height] (4 finite numbers), found {count} number{(count == 1 ? string.Empty : "s")}");
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

    private sealed class AnnotationBuilder
    {
        private readonly List<long> id = [];
        private readonly List<long> imageId = [];
        private readonly List<long> categoryId = [];
        private readonly List<double> box = [];
        private readonly List<double> area = [];
        private readonly List<GroundTruthFlags> flags = [];

        public void Add(long annId, long annImageId, long annCategoryId, ReadOnlySpan<double> annBox, double annArea, GroundTruthFlags annFlags)
        {
            id.Add(annId);
            imageId.Add(annImageId);
            categoryId.Add(annCategoryId);
            box.AddRange(annBox);
            area.Add(annArea);
            flags.Add(annFlags);
        }

        public AnnotationArrays Build() =>
            new([.. id], [.. imageId], [.. categoryId], [.. box], [.. area], [.. flags]);
    }
}
