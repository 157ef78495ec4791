using System.Runtime.CompilerServices;
using System.Text.Json;

namespace RfcnPerf.Coco.Json;

/// <summary>
/// Reads a COCO results file (a JSON array of <c>{image_id, category_id, bbox, score}</c>) token by token and
/// appends the detections to a <see cref="ResultsBuilder"/> (pycocotools: the bbox branch of <c>loadRes</c>).
/// </summary>
internal static class ResultsReader
{
    private const string Section = "results";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Read(Stream stream, string path, CocoGroundTruth groundTruth, bool dropUnknownImages, ResultsBuilder results)
    {
        // COCO.loadRes, bbox branch: file order kept, ids = position + 1, area = w * h, iscrowd = 0.
        var r = new StreamingJsonReader(stream, path);
        r.Next();
        if (r.TokenType != JsonTokenType.StartArray)
        {
            r.ThrowExpected("a JSON array of results ({\"image_id\", \"category_id\", \"bbox\", \"score\"} objects)");
        }

        r.Section = Section;
        Span<double> box = stackalloc double[4];
        for (int index = 0; r.NextObjectInArray(index, "a result object"); index++)
        {
            long imageId = 0, categoryId = 0;
            double score = 0;
            Fields seen = Fields.None;
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
                    GroundTruthReader.ReadBox(ref r, box);
                    seen |= Fields.Bbox;
                }
                else if (r.PropertyIs("score"u8))
                {
                    r.Next();
                    score = r.GetFiniteDouble("score");
                    seen |= Fields.Score;
                }
                else
                {
                    // id, area and iscrowd are overwritten by loadRes; segmentation is not used for bbox.
                    r.Next();
                    r.SkipValue();
                }
            }

            if (seen != Fields.All)
            {
                string field = (seen & Fields.ImageId) == 0 ? "image_id"
                    : (seen & Fields.CategoryId) == 0 ? "category_id"
                    : (seen & Fields.Bbox) == 0 ? "bbox"
                    : "score";
                throw r.FieldError(field, $"field is missing (every bbox result needs 'image_id', 'category_id', 'bbox' and 'score')");
            }

            if (!groundTruth.ContainsImage(imageId))
            {
                if (dropUnknownImages)
                {
                    results.Dropped++;
                    continue;
                }

                throw r.FieldError("image_id", $"image id {imageId} is not in the ground truth {groundTruth.Source} (pycocotools: 'Results do not correspond to current coco set'; use --drop-unknown-images to drop such results)");
            }

            results.Add(imageId, categoryId, box, score);
        }

        r.Section = null;
        r.Index = -1;
        if (r.Read())
        {
            throw r.Error("unexpected content after the top-level array");
        }
    }

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
