using RfcnPerf.Core.Machine;
using RfcnPerf.Statistics;

namespace RfcnPerf.Core.Comparison;

/// <summary>
/// The one way things are compared for speed: all sides measured in one process, in blocks of at least
/// <see cref="ComparisonOptions.MinBlockRequests"/> requests, every side once per round in an order drawn from a
/// logged seed, idle threads of one block left to go quiet before the next starts (<see cref="ThreadSettler"/>),
/// warm-up rounds first. Rounds continue until every asked pair's ratio interval is narrow enough
/// (<see cref="VerdictRule.NarrowEnough"/>), the round limit or the time cap, and the result keeps every per-round
/// time, so any two sides can be paired afterwards. The sides must be loaded and prepared before the call: nothing
/// here opens sessions.
/// </summary>
public static class InterleavedRunner
{
    /// <summary>Compares <paramref name="b"/> against <paramref name="a"/>; <paramref name="progress"/> sees each measured round.</summary>
    public static ComparisonResult Run(ComparisonSide a, ComparisonSide b, ComparisonOptions options, Action<int, RatioEstimate?>? progress = null) =>
        RunAll([a, b], [(0, 1)], options, (round, estimates) => progress?.Invoke(round, estimates?[0])).Pair(0, 1);

    /// <summary>
    /// Measures every side each round; the stopping rule asks about the <paramref name="questions"/> (pairs of side
    /// indices, B against A). <paramref name="progress"/> sees each measured round and, once asked, the estimates.
    /// </summary>
    public static InterleavedRun RunAll(IReadOnlyList<ComparisonSide> sides, IReadOnlyList<(int A, int B)> questions, ComparisonOptions options, Action<int, IReadOnlyList<RatioEstimate>?>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sides);
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(sides.Count, 2);
        options.Validate();
        var seed = options.Seed ?? SplitMix64.NewSeed();
        var order = new SplitMix64(seed);
        var noise = NoiseMeter.Start();
        var time = options.Time;
        var started = time.GetTimestamp();
        var unsettled = 0;

        (double MsPerUnit, bool Ok) Block(ComparisonSide side, List<double>? requests)
        {
            unsettled += options.SettleCap <= TimeSpan.Zero || ThreadSettler.Settle(options.SettleCap) ? 0 : 1;
            var ok = true;
            var total = 0.0;
            for (var i = 0; i < options.BlockRequests; i++)
            {
                var start = time.GetTimestamp();
                ok &= side.Request();
                var ms = time.GetElapsedTime(start).TotalMilliseconds;
                total += ms;
                requests?.Add(ms);
            }

            return (total / options.BlockRequests / side.UnitsPerRequest, ok);
        }

        for (var w = 0; w < options.WarmupRounds; w++)
        {
            foreach (var side in sides)
            {
                Block(side, null);
            }
        }

        var times = new List<double[]>();
        var positions = new List<int[]>();
        var requests = sides.Select(_ => new List<double>()).ToArray();
        var dropped = 0;
        var target = options.FixedRounds ?? options.MaxRounds;
        StopReason stopped;
        while (true)
        {
            if (times.Count >= target)
            {
                stopped = options.FixedRounds is null ? StopReason.MaxRounds : StopReason.FixedRounds;
                break;
            }

            if (time.GetElapsedTime(started) >= options.TimeCap)
            {
                stopped = StopReason.TimeCap;
                break;
            }

            if (dropped > target)
            {
                stopped = StopReason.Failures;
                break;
            }

            var sequence = Shuffled(sides.Count, order);
            var round = new double[sides.Count];
            var position = new int[sides.Count];
            var roundRequests = sides.Select(_ => new List<double>(options.BlockRequests)).ToArray();
            var ok = true;
            for (var p = 0; p < sequence.Length; p++)
            {
                var s = sequence[p];
                position[s] = p;
                var (ms, blockOk) = Block(sides[s], roundRequests[s]);
                round[s] = ms;
                ok &= blockOk;
            }

            if (!ok)
            {
                dropped++;
                continue;
            }

            times.Add(round);
            positions.Add(position);
            for (var s = 0; s < sides.Count; s++)
            {
                requests[s].AddRange(roundRequests[s]);
            }

            IReadOnlyList<RatioEstimate>? estimates = null;
            if (options.FixedRounds is null && times.Count >= options.MinRounds)
            {
                estimates = [.. questions.Select(q => InterleavedRun.Estimate(
                    [.. times.Select((t, i) => new RoundPair(t[q.A], t[q.B], positions[i][q.A] < positions[i][q.B]))],
                    InterleavedRun.PairSeed(seed, q.A, q.B), options.Threshold))];
                if (estimates.All(e => VerdictRule.NarrowEnough(e.Lower, e.Upper, options.Threshold)))
                {
                    progress?.Invoke(times.Count, estimates);
                    stopped = StopReason.Narrow;
                    break;
                }
            }

            progress?.Invoke(times.Count, estimates);
        }

        return new InterleavedRun
        {
            Sides = [.. sides.Select(s => s.Name)],
            RoundMsPerUnit = times,
            RoundPositions = positions,
            RequestMs = requests,
            Conditions = new RunConditions
            {
                Stopped = stopped,
                Seed = seed,
                Noise = noise.Stop(),
                BlockRequests = options.BlockRequests,
                WarmupRequests = options.WarmupRounds * options.BlockRequests,
                DroppedRounds = dropped,
                UnsettledBlocks = unsettled,
                Elapsed = time.GetElapsedTime(started),
            },
            Threshold = options.Threshold,
        };
    }

    // Fisher-Yates over the side indices, from the run's generator: a fresh order every round.
    private static int[] Shuffled(int count, SplitMix64 rng)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
