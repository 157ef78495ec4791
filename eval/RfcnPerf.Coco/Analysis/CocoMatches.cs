namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// COCOeval's own matching at the operating point of the diagnostics (bbox, IoU 0.5, area all, maxDets 100), read
/// from the evaluator's per-image records: every kept detection with its outcome (true positive, false positive, or
/// ignored because it matched a crowd box), and every non-crowd ground truth with the detection that matched it. The
/// confidence sweep, the confusion matrix and the calibration all read this one table, so their counts agree with the
/// AP50 of the COCO stats.
/// </summary>
internal sealed class CocoMatches
{
    /// <summary>The IoU threshold of the diagnostics.</summary>
    public const double IouThreshold = 0.5;

    /// <summary>Detections per image and category that count (COCOeval's default maxDets[-1]).</summary>
    public const int MaxDetections = 100;

    private CocoMatches(CocoGroundTruth gt, CocoResults dt, int[] detections, byte[] outcomes, int[] groundTruths, int[] matchedBy, int images)
    {
        GroundTruth = gt;
        Results = dt;
        Detections = detections;
        Outcomes = outcomes;
        GroundTruths = groundTruths;
        MatchedBy = matchedBy;
        Images = images;
    }

    public CocoGroundTruth GroundTruth { get; }

    public CocoResults Results { get; }

    /// <summary>Indices (into <see cref="Results"/>) of the detections COCOeval kept, image by image.</summary>
    public int[] Detections { get; }

    /// <summary>The outcome of each of <see cref="Detections"/>: <see cref="TruePositive"/>, <see cref="FalsePositive"/> or <see cref="Ignored"/>.</summary>
    public byte[] Outcomes { get; }

    /// <summary>Annotation indices of the non-crowd ground truths of the evaluated images.</summary>
    public int[] GroundTruths { get; }

    /// <summary>For each of <see cref="GroundTruths"/>: the detection index (into <see cref="Results"/>) of the true
    /// positive that matched it, or -1.</summary>
    public int[] MatchedBy { get; }

    /// <summary>Images evaluated.</summary>
    public int Images { get; }

    public const byte FalsePositive = 0;

    public const byte TruePositive = 1;

    public const byte Ignored = 2;

    /// <summary>Runs COCOeval's evaluate() (bbox) at IoU 0.5, area all, maxDets 100 and collects its matches.</summary>
    /// <exception cref="CocoException">An image id is not in the ground truth.</exception>
    public static CocoMatches Compute(CocoGroundTruth gt, CocoResults dt, IReadOnlyCollection<long>? imageIds, int threads)
    {
        var p = new CocoEvalParams
        {
            IouThrs = [IouThreshold],
            AreaRanges = [CocoEvalParams.DefaultAreaRanges[0]],
            MaxDets = [MaxDetections],
        };
        if (imageIds is not null)
        {
            foreach (long id in imageIds)
            {
                if (!gt.ContainsImage(id))
                {
                    throw new CocoException($"image id {id} is not in the ground truth {gt.Source}");
                }
            }

            p.ImgIds = [.. imageIds];
        }

        var evaluator = new CocoEvaluator(gt, dt, p, threads) { RecordMatches = true };
        evaluator.Evaluate();
        var records = evaluator.EvalImages;
        var detections = new List<int>();
        var outcomes = new List<byte>();
        var groundTruths = new List<int>();
        var matchedBy = new List<int>();
        for (int i = 0; i < records.ImageIds.Count; i++)
        {
            for (int k = 0; k < records.CategoryIds.Count; k++)
            {
                var r = records[k, i];
                if (r.IsEmpty)
                {
                    continue;
                }

                var slotOfGt = new Dictionary<int, int>();
                for (int g = 0; g < r.GroundTruthCount; g++)
                {
                    if (!r.IsGroundTruthIgnored(g, 0))
                    {
                        slotOfGt[g] = groundTruths.Count;
                        groundTruths.Add(r.GroundTruthIndex(g));
                        matchedBy.Add(-1);
                    }
                }

                for (int d = 0; d < r.DetectionCount; d++)
                {
                    int index = r.DetectionIndex(d);
                    detections.Add(index);
                    if (r.IsIgnored(d, 0, 0))
                    {
                        outcomes.Add(Ignored);
                    }
                    else if (r.IsMatched(d, 0, 0))
                    {
                        outcomes.Add(TruePositive);
                        matchedBy[slotOfGt[r.MatchedGroundTruth(d, 0, 0)]] = index;
                    }
                    else
                    {
                        // Unmatched, or matched to a ground truth with id 0, which COCOeval counts as a false positive
                        // (that ground truth then stays unmatched here, so it is missed, as its recall says).
                        outcomes.Add(FalsePositive);
                    }
                }

            }
        }

        return new CocoMatches(gt, dt, [.. detections], [.. outcomes], [.. groundTruths], [.. matchedBy], records.ImageIds.Count);
    }
}
