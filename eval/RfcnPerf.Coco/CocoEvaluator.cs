namespace RfcnPerf.Coco;

/// <summary>
/// A bit-exact port of pycocotools' <c>COCOeval(gt, dt, 'bbox')</c>, keeping its three steps: <see cref="Evaluate"/>
/// (per image and category matching), <see cref="Accumulate()"/> (precision/recall arrays) and
/// <see cref="Summarize()"/> (the 12 stats). Work is split by category over up to
/// <see cref="MaxDegreeOfParallelism"/> threads; each category's numbers are computed by one thread in a fixed
/// order, so the results are the same bits whatever the thread count.
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

        // COCOeval._prepare
        var gtCells = CellIndex.ForGroundTruth(groundTruth.Annotations, setup, imgSlot, catSlot);
        var dtCells = CellIndex.ForResults(results, setup, imgSlot, catSlot);

        // Detections kept per cell (each cut to maxDets[-1]) fix where each cell writes, so cells are independent.
        int cells = checked(setup.K * setup.I);
        var cellDetStart = new int[cells + 1];
        var work = new long[setup.K];
        for (int k = 0; k < setup.K; k++)
        {
            for (int i = 0; i < setup.I; i++)
            {
                int cell = (k * setup.I) + i;
                int kept = Math.Min(dtCells.Count(cell), setup.MaxDetLast);
                cellDetStart[cell + 1] = checked(cellDetStart[cell] + kept);
                work[k] += ((long)kept * (gtCells.Count(cell) + 1)) + kept + gtCells.Count(cell);
            }
        }

        var gtIgnore = new bool[groundTruth.Annotations.Count];
        for (int a = 0; a < gtIgnore.Length; a++)
        {
            // _prepare: gt['ignore'] = 'iscrowd' in gt and gt['iscrowd'] (a JSON 'ignore' field is overwritten).
            gtIgnore[a] = (groundTruth.Annotations.Flags[a] & GroundTruthFlags.Ignore) != 0;
        }

        var output = new EvaluatedImages(setup, cellDetStart, gtCells, groundTruth.Annotations, gtIgnore, RecordMatches);
        ForEachCategory(
            work,
            () => new CategoryEvaluator(groundTruth.Annotations, results, gtCells, dtCells, output),
            (evaluator, k) => evaluator.Evaluate(k));
        output.SumNpig();
        evaluated = output;
        evalImages = new CocoEvalImages(output);
        accumulation = null;
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
    public CocoAccumulation Accumulate(ReadOnlySpan<int> imageIndices)
    {
        var e = evaluated ?? throw new InvalidOperationException("Call Evaluate() before Accumulate().");
        foreach (int i in imageIndices)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)e.Setup.I, nameof(imageIndices));
        }

        return AccumulateImages(e, imageIndices.ToArray());
    }

    private CocoAccumulation AccumulateImages(EvaluatedImages e, int[]? images)
    {
        var setup = e.Setup;
        // Every category writes its whole slice (-1 included), so the arrays need no initialisation.
        var precision = GC.AllocateUninitializedArray<double>(checked(setup.T * setup.R * setup.K * setup.A * setup.M));
        var scores = GC.AllocateUninitializedArray<double>(precision.Length);
        var recall = GC.AllocateUninitializedArray<double>(setup.T * setup.K * setup.A * setup.M);
        var work = new long[setup.K];
        for (int k = 0; k < setup.K; k++)
        {
            work[k] = e.DetStart[k + 1] - e.DetStart[k];
        }

        ForEachCategory(
            work,
            () => new CategoryAccumulator(e, precision, recall, scores),
            (accumulator, k) => accumulator.Accumulate(k, images));
        return new CocoAccumulation(setup, precision, recall, scores);
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
    /// Runs <paramref name="body"/> for every category, largest first so two threads finish together. Each
    /// category writes only its own slots, so the schedule cannot change any result.
    /// </summary>
    private void ForEachCategory<TWorker>(long[] work, Func<TWorker> createWorker, Action<TWorker, int> body)
    {
        int count = work.Length;
        if (MaxDegreeOfParallelism == 1 || count <= 1)
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
