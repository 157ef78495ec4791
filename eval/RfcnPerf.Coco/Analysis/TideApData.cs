namespace RfcnPerf.Coco.Analysis;

/// <summary>
/// tidecv's <c>ClassedAPDataObject</c>: per class, the (score, true positive) points in the order they were pushed
/// and the number of ground-truth positives; classes kept in first-use order, because that order is the order of
/// the sum in <see cref="MeanAp"/> and the push order breaks score ties in the AP.
/// </summary>
internal sealed class TideApData
{
    private readonly Dictionary<long, int> slotOf = [];
    private readonly List<ClassPoints> classes = [];

    /// <summary>The class ids in first-use order.</summary>
    public IEnumerable<long> ClassIds => classes.Select(c => c.Id);

    /// <summary><c>push</c>: a data point of class <paramref name="classId"/>.</summary>
    public void Push(long classId, double score, bool truePositive)
    {
        var c = Get(classId);
        c.Scores.Add(score);
        c.TruePositive.Add(truePositive);
    }

    /// <summary><c>add_gt_positives</c>.</summary>
    public void AddGroundTruthPositives(long classId, int count) => Get(classId).GroundTruthPositives += count;

    /// <summary>Ground-truth positives of a class seen so far (0 for an unknown class).</summary>
    public int GroundTruthPositives(long classId) => slotOf.TryGetValue(classId, out int s) ? classes[s].GroundTruthPositives : 0;

    /// <summary>The scores of the true positives of <paramref name="classId"/>, in push order.</summary>
    public IEnumerable<double> TruePositiveScores(long classId)
    {
        var c = classes[slotOf[classId]];
        for (int i = 0; i < c.Scores.Count; i++)
        {
            if (c.TruePositive[i])
            {
                yield return c.Scores[i];
            }
        }
    }

    /// <summary><c>get_mAP</c>: the mean of the class APs over the classes with data points or positives (0 when none).</summary>
    public double MeanAp()
    {
        // Python's sum() of a list: left to right from 0, then one division.
        double sum = 0;
        int n = 0;
        foreach (var c in classes)
        {
            if (c.Scores.Count == 0 && c.GroundTruthPositives == 0)
            {
                continue; // is_empty()
            }

            sum += Ap(c);
            n++;
        }

        return n == 0 ? 0 : sum / n;
    }

    // APDataObject.get_ap: points sorted by descending score (stable), COCO-style interpolated precision read at
    // the 101 recalls k / 100 (searchsorted, side left), averaged; on TIDE's 0-100 scale.
    private static double Ap(ClassPoints c)
    {
        if (c.GroundTruthPositives == 0)
        {
            return 0;
        }

        int n = c.Scores.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var scores = c.Scores.ToArray();
        StableSort.ByDescendingKey(order, scores, new int[(n / 2) + 1]);
        var precision = new double[n];
        var recall = new double[n];
        int tp = 0, fp = 0;
        for (int i = 0; i < n; i++)
        {
            if (c.TruePositive[order[i]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            precision[i] = (double)tp / (tp + fp);
            recall[i] = (double)tp / c.GroundTruthPositives;
        }

        for (int i = n - 1; i > 0; i--)
        {
            if (precision[i] > precision[i - 1])
            {
                precision[i - 1] = precision[i];
            }
        }

        const int Resolution = 100;
        double sum = 0;
        int at = 0;
        for (int k = 0; k <= Resolution; k++)
        {
            // x / resolution in Python (not np.linspace): 35 / 100 is 0.35, where linspace gives 0.35000000000000003.
            double x = k / (double)Resolution;
            while (at < n && recall[at] < x)
            {
                at++;
            }

            if (at < n)
            {
                sum += precision[at];
            }
        }

        return sum / (Resolution + 1) * 100;
    }

    private ClassPoints Get(long classId)
    {
        if (!slotOf.TryGetValue(classId, out int s))
        {
            s = classes.Count;
            slotOf[classId] = s;
            classes.Add(new ClassPoints(classId));
        }

        return classes[s];
    }

    private sealed class ClassPoints(long id)
    {
        public long Id { get; } = id;

        public List<double> Scores { get; } = [];

        public List<bool> TruePositive { get; } = [];

        public int GroundTruthPositives { get; set; }
    }
}
