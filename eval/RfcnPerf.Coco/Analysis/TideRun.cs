namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// tidecv's <c>TIDERun</c> and <c>TIDEExample</c> for one (ground truth, results) pair: the per-image matching and
/// error assignment (<see cref="Run"/>), then the oracle fixes (<see cref="Summarize"/>). Each method opens with
/// the tidecv function it mirrors.
/// </summary>
internal sealed class TideRun
{
    private readonly CocoGroundTruth gt;
    private readonly CocoResults dt;
    private readonly TideOptions options;
    private readonly TideApData apData = new();
    private readonly List<TideError> errors = [];
    private readonly Dictionary<long, int> falseNegatives = [];

    // Per ground-truth annotation (global index): tidecv's 'used', 'usable', 'best_score' and 'best_id' keys.
    private readonly bool[] gtUsed;
    private readonly bool[] gtUsable;
    private readonly double[] gtBestScore;
    private readonly int[] gtBestPred;

    private int images;
    private int detections;
    private int groundTruths;

    public TideRun(CocoGroundTruth gt, CocoResults dt, TideOptions options)
    {
        this.gt = gt;
        this.dt = dt;
        this.options = options;
        int n = gt.Annotations.Count;
        gtUsed = new bool[n];
        gtUsable = new bool[n];
        gtBestScore = new double[n];
        gtBestPred = new int[n];
        Array.Fill(gtBestScore, -1); // BestGTMatch: gt['best_score'] = -1 before the first candidate
        Array.Fill(gtBestPred, -1);
    }

    /// <summary>The fate of a detection in tidecv: matched (True), unmatched (False) or ignored by a crowd box (None).</summary>
    private enum Used : byte
    {
        False,
        True,
        Ignored,
    }

    /// <summary>TIDERun._run: every ground-truth image in file order (detections on other images are not seen).</summary>
    public void Run()
    {
        var groups = ImageGroups.Create(gt, options.ImageIds);
        var (detStart, detItems) = groups.GroupDetections(dt);
        var scratch = new ImageScratch();
        for (int slot = 0; slot < groups.Count; slot++)
        {
            EvalImage(groups.GroundTruth(slot), detItems.AsSpan(detStart[slot], detStart[slot + 1] - detStart[slot]), scratch);
        }

        images = groups.Count;
    }

    /// <summary>TIDE.get_main_errors / get_special_errors / count_errors of this run.</summary>
    public TideResult Summarize()
    {
        // TIDERun._run: self.ap = self.ap_data.get_mAP()
        double ap = apData.MeanAp();
        var rows = new TideErrorRow[Tide.ShortNames.Count];
        for (int t = 0; t < rows.Length; t++)
        {
            // fix_main_errors (not progressive): errors[error] = max(new_ap - last_ap, 0)
            var type = (TideErrorType)t;
            double fixedAp = FixErrors(e => e.Type == type, falsePositivesScoredZero: false, removeFalseNegatives: false).MeanAp();
            rows[t] = new TideErrorRow(type, Tide.ShortNames[t], Math.Max(fixedAp - ap, 0), errors.Count(e => e.Type == type));
        }

        // fix_special_errors: not clipped at 0.
        double fp = FixErrors(_ => false, falsePositivesScoredZero: true, removeFalseNegatives: false).MeanAp() - ap;
        double fn = FixErrors(_ => false, falsePositivesScoredZero: false, removeFalseNegatives: true).MeanAp() - ap;
        return new TideResult(ap, rows, fp, fn, images, detections, groundTruths);
    }

    // TIDERun._eval_image (with TIDEExample._run inlined): match, mark crowd-ignored detections, assign errors.
    private void EvalImage(ReadOnlySpan<int> annotations, ReadOnlySpan<int> imageDets, ImageScratch s)
    {
        var a = gt.Annotations;
        s.Gt.Clear();
        s.Crowd.Clear();
        foreach (int g in annotations)
        {
            if ((a.Flags[g] & GroundTruthFlags.Ignore) != 0)
            {
                s.Crowd.Add(g);
            }
            else
            {
                s.Gt.Add(g);
                apData.AddGroundTruthPositives(a.CategoryId[g], 1);
            }
        }

        groundTruths += s.Gt.Count;
        if (imageDets.Length == 0)
        {
            // No predictions: every ground truth is missed.
            foreach (int g in s.Gt)
            {
                AddFalseNegative(g);
                errors.Add(TideError.Missed(g, a.CategoryId[g]));
            }

            return;
        }

        // preds.sort(key=lambda pred: -pred['score']); preds = preds[:max_dets]  (list.sort is stable)
        s.Preds.Clear();
        s.Preds.AddRange(imageDets);
        var preds = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(s.Preds);
        StableSort.ByDescendingKey(preds, dt.Score, s.SortScratch(preds.Length));
        if (preds.Length > options.MaxDetections)
        {
            preds = preds[..options.MaxDetections];
        }

        detections += preds.Length;
        int d = preds.Length;
        int gCount = s.Gt.Count;
        var used = s.Used(d);
        var iou = s.Iou(d * gCount);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < gCount; j++)
            {
                iou[(i * gCount) + j] = BoxIou.Compute(dt.Box.AsSpan(4 * preds[i], 4), a.Box.AsSpan(4 * s.Gt[j], 4), crowd: false);
            }
        }

        if (gCount > 0)
        {
            // iou_buffer = gt_iou * same class; greedy in score order: argmax (first maximum), match if >= pos_thresh.
            var buffer = s.Buffer(d * gCount);
            for (int i = 0; i < d; i++)
            {
                long cls = dt.CategoryId[preds[i]];
                for (int j = 0; j < gCount; j++)
                {
                    buffer[(i * gCount) + j] = a.CategoryId[s.Gt[j]] == cls ? iou[(i * gCount) + j] : 0;
                }
            }

            for (int i = 0; i < d; i++)
            {
                var row = buffer.Slice(i * gCount, gCount);
                int best = ArgMax(row);
                if (row[best] >= options.PositiveThreshold)
                {
                    used[i] = Used.True;
                    gtUsed[s.Gt[best]] = true;
                    for (int k = 0; k < d; k++)
                    {
                        buffer[(k * gCount) + best] = 0;
                    }
                }
            }
        }

        // Ignore regions (crowd boxes): an unmatched detection of the region's class whose intersection over its own
        // area exceeds pos_thresh is ignored (strictly greater, unlike matching).
        foreach (int c in s.Crowd)
        {
            for (int i = 0; i < d; i++)
            {
                if (used[i] != Used.True && a.CategoryId[c] == dt.CategoryId[preds[i]]
                    && BoxIou.Compute(dt.Box.AsSpan(4 * preds[i], 4), a.Box.AsSpan(4 * c, 4), crowd: true) > options.PositiveThreshold)
                {
                    used[i] = Used.Ignored;
                }
            }
        }

        for (int i = 0; i < d; i++)
        {
            int p = preds[i];
            if (used[i] != Used.Ignored)
            {
                apData.Push(dt.CategoryId[p], dt.Score[p], used[i] == Used.True);
            }

            if (used[i] != Used.True)
            {
                // Ignored detections are classified too (their errors are counted, their AP point does not exist).
                errors.Add(Classify(i, p, used[i] == Used.Ignored, iou.Slice(i * gCount, gCount), s));
            }
        }

        foreach (int g in s.Gt)
        {
            if (!gtUsed[g])
            {
                AddFalseNegative(g);
                if (!gtUsable[g])
                {
                    errors.Add(TideError.Missed(g, a.CategoryId[g])); // no error can be fixed into matching it
                }
            }
        }
    }

    // The error tests of TIDERun._eval_image, in its order, on the final matching.
    private TideError Classify(int i, int p, bool ignored, ReadOnlySpan<double> iouRow, ImageScratch s)
    {
        var a = gt.Annotations;
        long cls = dt.CategoryId[p];
        double score = dt.Score[p];
        int gCount = s.Gt.Count;
        if (gCount == 0)
        {
            return TideError.Of(TideErrorType.Background, p, -1, cls, score, ignored);
        }

        // BoxError: the best same-class IoU in [bg, pos].
        var row = s.Row(gCount);
        for (int j = 0; j < gCount; j++)
        {
            row[j] = a.CategoryId[s.Gt[j]] == cls ? iouRow[j] : 0;
        }

        int best = ArgMax(row);
        if (options.BackgroundThreshold <= row[best] && row[best] <= options.PositiveThreshold)
        {
            return BestGroundTruthMatch(TideErrorType.Localization, p, s.Gt[best], cls, score, ignored);
        }

        // ClassError: the best other-class IoU >= pos.
        for (int j = 0; j < gCount; j++)
        {
            row[j] = a.CategoryId[s.Gt[j]] != cls ? iouRow[j] : 0;
        }

        best = ArgMax(row);
        if (row[best] >= options.PositiveThreshold)
        {
            return BestGroundTruthMatch(TideErrorType.Classification, p, s.Gt[best], cls, score, ignored);
        }

        // DuplicateError: the best IoU with a used same-class ground truth >= pos.
        for (int j = 0; j < gCount; j++)
        {
            row[j] = gtUsed[s.Gt[j]] && a.CategoryId[s.Gt[j]] == cls ? iouRow[j] : 0;
        }

        best = ArgMax(row);
        if (row[best] >= options.PositiveThreshold)
        {
            return TideError.Of(TideErrorType.Duplicate, p, -1, cls, score, ignored);
        }

        // BackgroundError: the best IoU with any ground truth <= bg; anything left is OtherError ("Both").
        best = ArgMax(iouRow);
        return TideError.Of(iouRow[best] <= options.BackgroundThreshold ? TideErrorType.Background : TideErrorType.Both, p, -1, cls, score, ignored);
    }

    // BestGTMatch.__init__: a ground truth not matched by anyone can be fixed by one error: the highest-scoring one
    // (strictly higher replaces, so the first in score order wins ties). Its 'usable' flag spares it a MissedError.
    private TideError BestGroundTruthMatch(TideErrorType type, int p, int g, long cls, double score, bool ignored)
    {
        if (!gtUsed[g])
        {
            gtUsable[g] = true;
            if (gtBestScore[g] < score)
            {
                gtBestScore[g] = score;
                gtBestPred[g] = p;
            }
        }

        return TideError.Of(type, p, gtUsed[g] ? -1 : g, cls, score, ignored);
    }

    private void AddFalseNegative(int g)
    {
        long cls = gt.Annotations.CategoryId[g];
        falseNegatives[cls] = falseNegatives.GetValueOrDefault(cls) + 1;
    }

    /// <summary>
    /// TIDERun.fix_errors: a new AP data set where the errors meeting <paramref name="fix"/> are replaced by their
    /// fixed version (a true positive, nothing, or one ground truth less), the others kept as they were; the
    /// correct detections are pushed after all errors. <paramref name="falsePositivesScoredZero"/> is
    /// FalsePositiveError.fix as the transform (score 1 for a true positive, 0 otherwise);
    /// <paramref name="removeFalseNegatives"/> subtracts each class's false negatives from its positives.
    /// </summary>
    private TideApData FixErrors(Func<TideError, bool> fix, bool falsePositivesScoredZero, bool removeFalseNegatives)
    {
        var classes = apData.ClassIds.ToArray();
        var gtPositives = classes.ToDictionary(c => c, apData.GroundTruthPositives);
        var fixedData = new TideApData();
        foreach (var e in errors)
        {
            long cls;
            bool truePositive;
            if (fix(e))
            {
                if (e.Type == TideErrorType.Missed)
                {
                    gtPositives[e.Class] -= 1; // MissedError.fix: (gt class, -1)
                    continue;
                }

                if (e.Type is not (TideErrorType.Classification or TideErrorType.Localization) || e.GroundTruth < 0 || gtBestPred[e.GroundTruth] != e.Prediction)
                {
                    continue; // suppressed: fixing it would take a ground truth another error fixes
                }

                // ClassError.fix moves the detection to the ground truth's class; BoxError.fix keeps its own.
                cls = e.Type == TideErrorType.Classification ? gt.Annotations.CategoryId[e.GroundTruth] : e.Class;
                truePositive = true;
            }
            else
            {
                if (e.Type == TideErrorType.Missed || e.Ignored)
                {
                    continue; // unfix(): no data point for a missed ground truth or an ignored detection
                }

                cls = e.Class;
                truePositive = false;
            }

            fixedData.Push(cls, falsePositivesScoredZero ? (truePositive ? 1 : 0) : e.Score, truePositive);
        }

        foreach (long c in classes)
        {
            foreach (double score in apData.TruePositiveScores(c))
            {
                fixedData.Push(c, falsePositivesScoredZero ? 1 : score, true);
            }
        }

        foreach (long c in classes)
        {
            int positives = gtPositives[c];
            if (removeFalseNegatives)
            {
                positives -= falseNegatives.GetValueOrDefault(c);
            }

            fixedData.AddGroundTruthPositives(c, positives);
        }

        return fixedData;
    }

    /// <summary>np.argmax: the first index of the maximum.</summary>
    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int j = 1; j < values.Length; j++)
        {
            if (values[j] > values[best])
            {
                best = j;
            }
        }

        return best;
    }

    /// <summary>One error: its type, the detection (or the missed ground truth) and what a fix would need.</summary>
    /// <param name="Type">The error type.</param>
    /// <param name="Prediction">Detection index (-1 for a missed ground truth).</param>
    /// <param name="GroundTruth">For Cls/Loc: the ground truth a fix would match (-1 when it was already used); for Miss: the missed one.</param>
    /// <param name="Class">The detection's class (the ground truth's for Miss).</param>
    /// <param name="Score">The detection's score.</param>
    /// <param name="Ignored">The detection was ignored by a crowd box (it has no AP data point).</param>
    private readonly record struct TideError(TideErrorType Type, int Prediction, int GroundTruth, long Class, double Score, bool Ignored)
    {
        public static TideError Of(TideErrorType type, int p, int g, long cls, double score, bool ignored) => new(type, p, g, cls, score, ignored);

        public static TideError Missed(int g, long cls) => new(TideErrorType.Missed, -1, g, cls, 0, false);
    }

    /// <summary>Per-image buffers, grown as needed and reused.</summary>
    private sealed class ImageScratch
    {
        private Used[] used = [];
        private double[] iou = [];
        private double[] buffer = [];
        private double[] row = [];
        private int[] sort = [];

        public List<int> Gt { get; } = [];

        public List<int> Crowd { get; } = [];

        public List<int> Preds { get; } = [];

        public Span<Used> Used(int n)
        {
            Grow(ref used, n);
            var span = used.AsSpan(0, n);
            span.Clear();
            return span;
        }

        public Span<double> Iou(int n) => Grow(ref iou, n).AsSpan(0, n);

        public Span<double> Buffer(int n) => Grow(ref buffer, n).AsSpan(0, n);

        public Span<double> Row(int n) => Grow(ref row, n).AsSpan(0, n);

        public Span<int> SortScratch(int n) => Grow(ref sort, (n / 2) + 1).AsSpan();

        private static T[] Grow<T>(ref T[] array, int n)
        {
            if (array.Length < n)
            {
                array = new T[Math.Max(n, array.Length * 2)];
            }

            return array;
        }
    }
}
