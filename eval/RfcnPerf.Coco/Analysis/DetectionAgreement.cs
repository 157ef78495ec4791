namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// The detection-level agreement of two models on the same images (an FP32 model as the baseline, its INT8 build as
/// the candidate). Per image, the detections of each scoring at least τ, in score order; greedily by the baseline's
/// score, each baseline detection takes the unpaired candidate detection of its class with the highest IoU (the
/// higher-scoring one on a tie): IoU &gt;= 0.9 is kept, 0.5 to 0.9 moved; failing that, the unpaired candidate
/// detection of another class with the highest IoU &gt;= 0.5 (relabelled); failing that it is lost. Candidate detections
/// left unpaired are gained. Every detection above τ gets exactly one outcome, so the classes partition each model's
/// detections. IoU is symmetric, so swapping the models swaps lost and gained whenever the greedy order does not
/// decide between competing partners.
/// </summary>
public static class DetectionAgreement
{
    /// <summary>Compares <paramref name="candidate"/> with <paramref name="baseline"/>, both scored on <paramref name="groundTruth"/>'s images.</summary>
    /// <exception cref="CocoException">An image id of the options is not in the ground truth, or a threshold is out of range.</exception>
    public static AgreementResult Compare(CocoGroundTruth groundTruth, CocoResults baseline, CocoResults candidate, AgreementOptions options)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.MatchIou > 0 && options.MatchIou <= options.KeptIou && options.KeptIou <= 1) || !double.IsFinite(options.ScoreThreshold))
        {
            throw new CocoException($"agreement thresholds must satisfy 0 < match IoU ({options.MatchIou}) <= kept IoU ({options.KeptIou}) <= 1 and a finite score threshold ({options.ScoreThreshold})");
        }

        var groups = ImageGroups.Create(groundTruth, options.ImageIds);
        var (bStart, bItems) = groups.GroupDetections(baseline);
        var (cStart, cItems) = groups.GroupDetections(candidate);
        var bOutcome = new AgreementOutcome[baseline.Count];
        var cOutcome = new AgreementOutcome[candidate.Count];
        var perImage = new List<AgreementImageRow>();
        var tally = new ClassTally();
        var bList = new List<int>();
        var cList = new List<int>();
        for (int slot = 0; slot < groups.Count; slot++)
        {
            Above(baseline, bItems.AsSpan(bStart[slot], bStart[slot + 1] - bStart[slot]), options.ScoreThreshold, bList);
            Above(candidate, cItems.AsSpan(cStart[slot], cStart[slot + 1] - cStart[slot]), options.ScoreThreshold, cList);
            if (bList.Count + cList.Count == 0)
            {
                continue;
            }

            var counts = new int[6];
            var taken = new bool[cList.Count];
            foreach (int b in bList)
            {
                int same = -1, other = -1;
                double sameIou = -1, otherIou = -1;
                for (int j = 0; j < cList.Count; j++)
                {
                    if (taken[j])
                    {
                        continue;
                    }

                    int c = cList[j];
                    double iou = BoxIou.Compute(baseline.Box.AsSpan(4 * b, 4), candidate.Box.AsSpan(4 * c, 4), crowd: false);
                    if (candidate.CategoryId[c] == baseline.CategoryId[b])
                    {
                        if (iou > sameIou)
                        {
                            (same, sameIou) = (j, iou);
                        }
                    }
                    else if (iou > otherIou)
                    {
                        (other, otherIou) = (j, iou);
                    }
                }

                AgreementOutcome outcome;
                int partner = -1;
                if (same >= 0 && sameIou >= options.MatchIou)
                {
                    outcome = sameIou >= options.KeptIou ? AgreementOutcome.Kept : AgreementOutcome.Moved;
                    partner = same;
                }
                else if (other >= 0 && otherIou >= options.MatchIou)
                {
                    outcome = AgreementOutcome.Relabelled;
                    partner = other;
                }
                else
                {
                    outcome = AgreementOutcome.Lost;
                }

                bOutcome[b] = outcome;
                counts[(int)outcome]++;
                tally.Add(baseline.CategoryId[b], outcome);
                if (partner >= 0)
                {
                    taken[partner] = true;
                    int c = cList[partner];
                    cOutcome[c] = outcome;
                    if (outcome == AgreementOutcome.Relabelled)
                    {
                        tally.AddRelabelledInto(candidate.CategoryId[c]);
                    }
                }
            }

            for (int j = 0; j < cList.Count; j++)
            {
                if (!taken[j])
                {
                    cOutcome[cList[j]] = AgreementOutcome.Gained;
                    counts[(int)AgreementOutcome.Gained]++;
                    tally.Add(candidate.CategoryId[cList[j]], AgreementOutcome.Gained);
                }
            }

            perImage.Add(new AgreementImageRow(groups.ImageIds[slot], CountsOf(counts)));
        }

        var totals = new int[6];
        foreach (var row in perImage)
        {
            totals[1] += row.Counts.Kept;
            totals[2] += row.Counts.Moved;
            totals[3] += row.Counts.Relabelled;
            totals[4] += row.Counts.Lost;
            totals[5] += row.Counts.Gained;
        }

        return new AgreementResult(options.ScoreThreshold, CountsOf(totals), tally.Rows(groundTruth), perImage)
        {
            BaselineOutcomes = bOutcome,
            CandidateOutcomes = cOutcome,
        };
    }

    // The detections of one image scoring at least the threshold, by descending score (stable: file order on ties).
    private static void Above(CocoResults results, ReadOnlySpan<int> items, double threshold, List<int> into)
    {
        into.Clear();
        foreach (int i in items)
        {
            if (results.Score[i] >= threshold)
            {
                into.Add(i);
            }
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(into);
        StableSort.ByDescendingKey(span, results.Score, new int[(span.Length / 2) + 1]);
    }

    private static AgreementCounts CountsOf(int[] c) => new(c[1], c[2], c[3], c[4], c[5]);

    /// <summary>Counts per class: outcomes by the detection's own class, plus relabelled-into by the candidate's class.</summary>
    private sealed class ClassTally
    {
        private readonly Dictionary<long, int[]> counts = [];

        public void Add(long categoryId, AgreementOutcome outcome) => Of(categoryId)[(int)outcome]++;

        public void AddRelabelledInto(long categoryId) => Of(categoryId)[0]++;

        public IReadOnlyList<AgreementClassRow> Rows(CocoGroundTruth gt) =>
            [.. counts
                .OrderBy(kv => gt.TryGetCategory(kv.Key, out _) ? 0 : 1)
                .ThenBy(kv => kv.Key)
                .Select(kv => new AgreementClassRow(kv.Key, gt.TryGetCategory(kv.Key, out var c) ? c.Name : string.Empty, CountsOf(kv.Value), kv.Value[0]))];

        // Slot 0 (BelowThreshold, never counted) holds relabelled-into.
        private int[] Of(long categoryId)
        {
            if (!counts.TryGetValue(categoryId, out var c))
            {
                counts[categoryId] = c = new int[6];
            }

            return c;
        }
    }
}
