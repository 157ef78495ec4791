namespace RfcnPerf.Coco;

/// <summary>
/// A bit-exact port of pycocotools' <c>COCOeval(gt, dt, iouType)</c> for 'bbox', 'segm' and 'keypoints', keeping its
/// three steps: <see cref="Evaluate"/> (per image and category matching), <see cref="Accumulate()"/>
/// (precision/recall arrays) and <see cref="Summarize()"/> (12 stats, 10 for keypoints). Only the similarity differs
/// between iouTypes (<see cref="IouProvider"/>). Work is split by category (by runs of images when there are few
/// categories) over up to <see cref="MaxDegreeOfParallelism"/> threads; every number is computed by one thread in a
/// fixed order, so the results are the same bits whatever the thread count.
/// </summary>
public sealed class CocoEvaluator
{
    private readonly CocoGroundTruth groundTruth;
    private readonly CocoResults results;
    private EvaluatedImages? evaluated;
    private CocoEvalImages? evalImages;
    private CocoAccumulation? accumulation;

    /// <param name="groundTruth">The ground truth (<c>cocoGt</c>).</param>
    /// <param name="results">The detections (<c>cocoDt</c>), loaded against that ground truth.</param>
    /// <param name="parameters">COCOeval params; null for the defaults.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads; 0 or less means one per core.</param>
    public CocoEvaluator(CocoGroundTruth groundTruth, CocoResults results, CocoEvalParams? parameters = null, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(results);
        this.groundTruth = groundTruth;
        this.results = results;
        Params = parameters ?? new CocoEvalParams();
        MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
    }

    /// <summary>The parameters (read when <see cref="Evaluate"/> runs).</summary>
    public CocoEvalParams Params { get; }

    /// <summary>Number of worker threads used.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>The arrays of the last <see cref="Accumulate()"/>, or null before it.</summary>
    public CocoAccumulation? Accumulation => accumulation;

    /// <summary>
    /// Keep, for every matched detection, which ground truth it matched (<see cref="CocoEvalImage.MatchedGroundTruth"/>).
    /// Off by default: it costs 4 bytes per kept detection, area range and IoU threshold.
    /// </summary>
    public bool RecordMatches { get; init; }

    /// <summary>
    /// The per-(category, image) records of the last <see cref="Evaluate"/> (pycocotools' <c>evalImgs</c>), for
    /// diagnostics and for re-accumulating over a sample of images without matching again.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Evaluate"/> has not run.</exception>
    public CocoEvalImages EvalImages => evalImages ?? throw new InvalidOperationException("Call Evaluate() before reading EvalImages.");

    internal EvaluatedImages? Evaluated => evaluated;

    /// <summary>
    /// COCOeval.evaluate: normalises the params, groups annotations and detections by (image, category),
    /// computes IoUs and matches detections to ground truths for every area range and IoU threshold.
    /// </summary>
    /// <exception cref="CocoException">A parameter is invalid (e.g. negative maxDets).</exception>
    public void Evaluate()
    {
        // COCOeval.evaluate
        var setup = EvalSetup.Create(Params, groundTruth);
        var imgSlot = new Dictionary<long, int>(setup.I);
        for (int i = 0; i < setup.I; i++)
        {
            imgSlot[setup.ImgIds[i]] = i;
        }

        var catSlot = new Dictionary<long, int>();
        foreach (long c in setup.UseCats ? setup.CatIds : setup.PooledCatIds)
        {
            catSlot.TryAdd(c, catSlot.Count);
        }

        // COCOeval._prepare: the two indices are independent, so they are built at once when there are threads.
        CellIndex gtCells = null!, dtCells = null!;
        Parallel.Invoke(
            new ParallelOptions { MaxDegreeOfParallelism = groundTruth.Annotations.Count + results.Count < SequentialWork ? 1 : MaxDegreeOfParallelism },
            () => gtCells = CellIndex.ForGroundTruth(groundTruth.Annotations, setup, imgSlot, catSlot),
            () => dtCells = CellIndex.ForResults(results, setup, imgSlot, catSlot));

        InputChecks.Check(setup, groundTruth, results, gtCells, dtCells);

        // Detections kept per cell (each cut to maxDets[-1]) fix where each cell writes, so cells are independent.
        // The same pass sums each image's work: about the pairs matched, plus each cell's own overhead.
        int cells = checked(setup.K * setup.I);
        var cellDetStart = LargeArray.Zeroed<int>(cells + 1);
        var imageWork = new long[setup.I];
        for (int k = 0, cell = 0; k < setup.K; k++)
        {
            for (int i = 0; i < setup.I; i++, cell++)
            {
                int kept = Math.Min(dtCells.Count(cell), setup.MaxDetLast);
                cellDetStart[cell + 1] = checked(cellDetStart[cell] + kept);
                imageWork[i] += ((long)kept * (gtCells.Count(cell) + 1)) + kept + gtCells.Count(cell) + 1;
            }
        }

        var output = new EvaluatedImages(setup, cellDetStart, gtCells, groundTruth.Annotations, GroundTruthIgnore(setup), RecordMatches);
        var units = WorkUnits(imageWork);
        ForEach(
            [.. units.Select(u => u.Work)],
            () => new CellEvaluator(groundTruth.Annotations, results, gtCells, dtCells, output),
            (evaluator, n) => evaluator.Evaluate(units[n].First, units[n].End));
        output.SumNpig();
        evaluated = output;
        evalImages = new CocoEvalImages(output);
        accumulation = null;
    }

    /// <summary>
    /// pycocotools' <c>self.ious[imgId, catId]</c> for cell (k, i) of the last <see cref="Evaluate"/>: [D x G], detections
    /// in score order, or null where pycocotools holds [] (for tests against its matrices).
    /// </summary>
    internal double[]? CellIou(int k, int i)
    {
        var e = evaluated ?? throw new InvalidOperationException("Call Evaluate() before CellIou().");
        int cell = (k * e.Setup.I) + i;
        var gtItems = e.GroundTruthCells.Cell(cell);
        var dets = e.DetIndex.AsSpan(e.CellDetStart[cell], e.CellDetStart[cell + 1] - e.CellDetStart[cell]);
        if (gtItems.Length == 0 || dets.Length == 0)
        {
            return null;
        }

        var iou = new double[dets.Length * gtItems.Length];
        return IouProvider.Create(e.Setup, groundTruth.Annotations, results).Compute(gtItems, dets, iou) ? iou : null;
    }

    /// <summary>COCOeval.accumulate: the precision [T,R,K,A,M], recall [T,K,A,M] and scores arrays.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Evaluate"/> has not run.</exception>
    public CocoAccumulation Accumulate()
    {
        // COCOeval.accumulate
        var e = evaluated ?? throw new InvalidOperationException("Call Evaluate() before Accumulate().");
        accumulation = AccumulateImages(e, null);
        return accumulation;
    }

    /// <summary>
    /// COCOeval.accumulate over a list of images instead of params.imgIds, from the records of the last
    /// <see cref="Evaluate"/> (no matching again): the images' lists are concatenated in the order given, repeats
    /// included, as pycocotools would if imgIds held that list. This is what a bootstrap over images resamples.
    /// The result is returned, not kept: <see cref="Accumulation"/> and <see cref="Summarize()"/> still refer to all images.
    /// </summary>
    /// <param name="imageIndices">Positions in <see cref="CocoEvalImages.ImageIds"/> (repeats allowed).</param>
    /// <exception cref="InvalidOperationException"><see cref="Evaluate"/> has not run.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the evaluated images.</exception>
    public CocoAccumulation Accumulate(ReadOnlySpan<int> imageIndices) => Accumulate(imageIndices, null);

    /// <summary>
    /// <see cref="Accumulate(ReadOnlySpan{int})"/> written into the arrays of <paramref name="into"/>, an earlier
    /// accumulation of this evaluation over a list of images, which is overwritten and returned (null: new arrays).
    /// A bootstrap's replicates reuse one per thread: the arrays are megabytes (8 bytes x T x R x K x A x M twice),
    /// and allocating them for every replicate costs more in garbage collection than accumulating.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Evaluate"/> has not run.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the evaluated images.</exception>
    /// <exception cref="ArgumentException"><paramref name="into"/> is <see cref="Accumulation"/> (which stays the one
    /// over all images) or comes from another evaluation.</exception>
    public CocoAccumulation Accumulate(ReadOnlySpan<int> imageIndices, CocoAccumulation? into)
    {
        var e = evaluated ?? throw new InvalidOperationException("Call Evaluate() before Accumulate().");
        foreach (int i in imageIndices)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)e.Setup.I, nameof(imageIndices));
        }

        if (into is not null && (ReferenceEquals(into, accumulation) || !ReferenceEquals(into.Setup, e.Setup)))
        {
            throw new ArgumentException("only an accumulation over a list of images from this evaluation can be written into", nameof(into));
        }

        return AccumulateImages(e, imageIndices.ToArray(), into);
    }

    private CocoAccumulation AccumulateImages(EvaluatedImages e, int[]? images, CocoAccumulation? into = null)
    {
        var setup = e.Setup;
        // Every category writes its whole slice (-1 included), so the arrays need no initialisation (nor clearing when reused).
        var (precision, recall) = into is not null ? into.Arrays : (
            LargeArray.Uninitialized<double>(checked(setup.T * setup.R * setup.K * setup.A * setup.M)),
            LargeArray.Uninitialized<double>(setup.T * setup.K * setup.A * setup.M));
        RunAccumulators(e, images, precision, recall, null);

        // The scores, when asked for, by the same pass over the same records (e and images are this accumulation's).
        void FillScores(double[] scores) => RunAccumulators(e, images, null, null, scores);
        if (into is null)
        {
            return new CocoAccumulation(setup, precision, recall, FillScores);
        }

        into.Rewritten(FillScores);
        return into;
    }

    /// <summary>accumulate()'s loop over categories, writing the arrays that are not null.</summary>
    private void RunAccumulators(EvaluatedImages e, int[]? images, double[]? precision, double[]? recall, double[]? scores)
    {
        var work = new long[e.Setup.K];
        for (int k = 0; k < work.Length; k++)
        {
            work[k] = e.DetStart[k + 1] - e.DetStart[k];
        }

        ForEach(
            work,
            () => new CategoryAccumulator(e, precision, recall, scores),
            (accumulator, k) => accumulator.Accumulate(k, images));
    }

    /// <summary>COCOeval.summarize: the 12 stats and their printed lines, plus per-category metrics.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Accumulate()"/> has not run.</exception>
    /// <exception cref="CocoException">Fewer than 3 maxDets (summarize reads maxDets[2]).</exception>
    public CocoSummary Summarize()
    {
        // COCOeval.summarize
        var acc = accumulation ?? throw new InvalidOperationException("Call Accumulate() before Summarize().");
        return CocoSummary.Create(acc, groundTruth);
    }

    /// <summary>COCOeval.summarize of another accumulation of this evaluation (e.g. one from <see cref="Accumulate(ReadOnlySpan{int})"/>).</summary>
    /// <exception cref="CocoException">Fewer than 3 maxDets (summarize reads maxDets[2]).</exception>
    public CocoSummary Summarize(CocoAccumulation accumulation)
    {
        ArgumentNullException.ThrowIfNull(accumulation);
        return CocoSummary.Create(accumulation, groundTruth);
    }

    /// <summary>Evaluate, accumulate and summarize in one call.</summary>
    public CocoSummary Run()
    {
        Evaluate();
        Accumulate();
        return Summarize();
    }

    /// <summary>
    /// _prepare's <c>gt['ignore']</c> per annotation: iscrowd's truthiness (a JSON 'ignore' field is overwritten),
    /// and for keypoints also <c>num_keypoints == 0</c>.
    /// </summary>
    private bool[] GroundTruthIgnore(EvalSetup setup)
    {
        var gt = groundTruth.Annotations;
        var ignore = new bool[gt.Count];
        for (int a = 0; a < ignore.Length; a++)
        {
            ignore[a] = (gt.Flags[a] & GroundTruthFlags.Ignore) != 0
                || (setup.IouType == CocoIouType.Keypoints && gt.NumKeypoints![a] == 0);
        }

        return ignore;
    }

    /// <summary>
    /// Runs of images (every category of each) to evaluate as one piece of work, of about equal work and many more
    /// than threads, so that threads finish together. Every cell writes only its own slots, so the cut cannot change
    /// any result.
    /// </summary>
    private List<(int First, int End, long Work)> WorkUnits(long[] imageWork)
    {
        long total = imageWork.Sum();
        long share = Math.Max(1, total / (16L * MaxDegreeOfParallelism));
        var units = new List<(int, int, long)>();
        int first = 0;
        long work = 0;
        for (int i = 0; i < imageWork.Length; i++)
        {
            work += imageWork[i];
            if (work >= share || i == imageWork.Length - 1)
            {
                units.Add((first, i + 1, work));
                first = i + 1;
                work = 0;
            }
        }

        return units;
    }

    /// <summary>
    /// Below this much work (in the units of the work arrays: about one per detection and ground-truth pair), waking
    /// worker threads costs more than they save (a small evaluation took tens of milliseconds on a busy machine).
    /// </summary>
    private const long SequentialWork = 1 << 12;

    /// <summary>
    /// Runs <paramref name="body"/> for every unit of work, largest first so threads finish together. Each unit
    /// writes only its own slots, so the schedule cannot change any result.
    /// </summary>
    private void ForEach<TWorker>(long[] work, Func<TWorker> createWorker, Action<TWorker, int> body)
    {
        int count = work.Length;
        if (MaxDegreeOfParallelism == 1 || count <= 1 || work.Sum() < SequentialWork)
        {
            var worker = createWorker();
            for (int k = 0; k < count; k++)
            {
                body(worker, k);
            }

            return;
        }

        int[] order = Enumerable.Range(0, count).ToArray();
        Array.Sort(order, (x, y) => work[y] != work[x] ? work[y].CompareTo(work[x]) : x.CompareTo(y));
        int next = -1;
        int threads = Math.Min(MaxDegreeOfParallelism, count);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, threads, options, _ =>
        {
            var worker = createWorker();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                body(worker, order[i]);
            }
        });
    }
}
