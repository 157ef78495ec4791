using System.Globalization;
using RfcnPerf.Bench.Profiles;
using RfcnPerf.Core.Comparison;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Bench.Comparisons;

/// <summary>
/// The sweep's comparisons, from the interleaved runner rather than from BenchmarkDotNet cases measured one after
/// another: per model, one run whose sides are every compared configuration of its FP32 and INT8 variants (the
/// default point, each intra-op count, the compared batch sizes and stream counts), a second session of the FP32
/// default (the A/A check) and a bare InferenceSession.Run loop per variant. Every session is opened before timing.
/// </summary>
internal static class SweepComparisons
{
    /// <summary>Runs the comparisons of <paramref name="variants"/> model by model; a model whose sessions fail to open is skipped with a note.</summary>
    public static IReadOnlyList<ModelAnswers> Run(BenchProfile profile, IReadOnlyList<ModelVariant> variants, int physicalCores, ulong seed, Action<string> log)
    {
        var answers = new List<ModelAnswers>();
        foreach (var (group, index) in variants.GroupBy(v => v.Model).Select((g, i) => (g.OrderBy(v => v.IsInt8).ToList(), i)))
        {
            var opened = new List<IDisposable>();
            try
            {
                var (sides, candidates, twin, bare) = Open(profile, group, physicalCores, opened);
                var options = new ComparisonOptions
                {
                    Seed = seed + (ulong)index,
                    MaxRounds = profile.ComparisonMaxRounds,
                    TimeCap = profile.ComparisonTimeCap,
                };
                var defaults = group.Select(v => candidates.First(c => c.Variant == v).Side).ToList();
                var questions = new List<(int, int)> { (defaults[0], twin) };
                questions.AddRange(defaults.Skip(1).Select(d => (defaults[0], d)));
                questions.AddRange(bare.Select(b => (b.Value, candidates.First(c => c.Variant == b.Key).Side)));
                questions.AddRange(candidates.Where(c => !defaults.Contains(c.Side)).Select(c => (candidates.First(d => d.Variant == c.Variant).Side, c.Side)));
                log(string.Create(CultureInfo.InvariantCulture, $"comparisons: {group[0].Model}: {sides.Count} sides in one interleaved run, blocks of {options.BlockRequests} requests, {options.MinRounds} to {options.MaxRounds} rounds or {options.TimeCap.TotalSeconds:F0} s, seed {options.Seed}"));
                var run = InterleavedRunner.RunAll(sides, questions, options, (round, _) =>
                {
                    if (round % 10 == 0)
                    {
                        log(string.Create(CultureInfo.InvariantCulture, $"comparisons: {group[0].Model}: round {round}"));
                    }
                });
                var result = new ModelAnswers { Model = group[0].Model, Run = run, Candidates = candidates, Twin = twin, Bare = bare };
                log($"comparisons: {group[0].Model}: {run.Pair(0, 1).StopText()}");
                answers.Add(result);
            }
            catch (Exception ex) when (ex is Core.RfcnPerfException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException)
            {
                BenchFailures.Record($"comparisons [{group[0].Model}]", ex);
                log($"comparisons: {group[0].Model}: skipped: {ex.Message}");
            }
            finally
            {
                for (var i = opened.Count - 1; i >= 0; i--)
                {
                    opened[i].Dispose();
                }
            }
        }

        return answers;
    }

    /// <summary>The points compared for a variant: the default first, then intra-op counts, batch sizes, stream counts.</summary>
    internal static IReadOnlyList<SweepPoint> Points(BenchProfile profile, int physicalCores) =>
    [
        SweepPoint.Default,
        .. profile.IntraOpCounts(physicalCores).Where(n => n != 0).Select(n => SweepPoint.Default with { IntraOpThreads = n }),
        .. profile.ComparedBatchSizes.Where(b => b > 1).Select(b => SweepPoint.Default with { Batch = b }),
        .. profile.StreamSettings(physicalCores).Where(s => s.Streams > 1)
            .Select(s => SweepPoint.Default with { Streams = s.Streams, IntraOpThreads = s.IntraOpThreads, AllowSpinning = s.AllowSpinning }),
    ];

    private static (List<ComparisonSide> Sides, List<Candidate> Candidates, int Twin, Dictionary<ModelVariant, int> Bare) Open(
        BenchProfile profile, IReadOnlyList<ModelVariant> group, int physicalCores, List<IDisposable> opened)
    {
        var sides = new List<ComparisonSide>();
        var candidates = new List<Candidate>();
        var bare = new Dictionary<ModelVariant, int>();
        var twin = -1;
        SweepSession Session(ModelVariant v, SweepPoint p)
        {
            var s = SweepSession.Open("comparisons", v, p);
            opened.Add(s);
            return s;
        }

        foreach (var variant in group)
        {
            foreach (var point in Points(profile, physicalCores))
            {
                var session = Session(variant, point);
                candidates.Add(new Candidate(variant, point, sides.Count));
                sides.Add(ComparisonSide.Of($"{variant}: {point.Describe()}", () => session.RunAllStreams(), point.ImagesPerInvocation));
                if (point != SweepPoint.Default)
                {
                    continue;
                }

                if (variant == group[0])
                {
                    var second = Session(variant, point);
                    twin = sides.Count;
                    sides.Add(ComparisonSide.Of($"{variant}: {point.Describe()}, second session", () => second.Run()));
                }

                // The bare loop feeds a float NCHW tensor; a model taking bytes (TF OD API) has no bare twin here.
                if (session.Session.Default.Head.Preprocess.Layout == TensorLayout.NchwFloat)
                {
                    var loop = new BareSession(session, point);
                    opened.Add(loop);
                    bare[variant] = sides.Count;
                    sides.Add(ComparisonSide.Of($"{variant}: bare InferenceSession.Run", () => loop.Run()));
                }
            }
        }

        return (sides, candidates, twin, bare);
    }
}
