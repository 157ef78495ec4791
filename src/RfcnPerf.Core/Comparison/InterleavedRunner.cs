using RfcnPerf.Core.Machine;
using RfcnPerf.Statistics;

namespace RfcnPerf.Core.Comparison;

/// <summary>
/// The one way two things are compared for speed: both measured in one process, in alternating blocks of at least
/// <see cref="ComparisonOptions.MinBlockRequests"/> requests, the order within each round drawn from a logged seed,
/// idle threads of one block left to go quiet before the other's starts (<see cref="ThreadSettler"/>), warm-up
/// rounds first. Rounds continue until the ratio's interval is narrow enough (<see cref="VerdictRule.NarrowEnough"/>),
/// the round limit or the time cap, and the result keeps every per-round pair. Both sides must be loaded and
/// prepared before the call: nothing here opens sessions.
/// </summary>
public static class InterleavedRunner
{
    // The bootstrap's seed derives from the comparison's, so one logged number reproduces both.
    private const ulong BootstrapSalt = 0x5DEECE66DUL;

    /// <summary>Compares <paramref name="b"/> against <paramref name="a"/>; <paramref name="progress"/> sees each measured round.</summary>
    public static ComparisonResult Run(ComparisonSide a, ComparisonSide b, ComparisonOptions options, Action<int, RatioEstimate?>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var seed = options.Seed ?? SplitMix64.NewSeed();
        var bootstrapSeed = seed ^ BootstrapSalt;
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
            Block(a, null);
            Block(b, null);
        }

        var rounds = new List<RoundPair>();
        var aMs = new List<double>();
        var bMs = new List<double>();
        var dropped = 0;
        RatioEstimate? estimate = null;
        var target = options.FixedRounds ?? options.MaxRounds;
        StopReason stopped;
        while (true)
        {
            if (rounds.Count >= target)
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

            var aFirst = (order.Next() & 1) == 0;
            var aTimes = new List<double>(options.BlockRequests);
            var bTimes = new List<double>(options.BlockRequests);
            var first = aFirst ? Block(a, aTimes) : Block(b, bTimes);
            var second = aFirst ? Block(b, bTimes) : Block(a, aTimes);
            if (!first.Ok || !second.Ok)
            {
                dropped++;
                continue;
            }

            var (aRound, bRound) = aFirst ? (first.MsPerUnit, second.MsPerUnit) : (second.MsPerUnit, first.MsPerUnit);
            rounds.Add(new RoundPair(aRound, bRound, aFirst));
            aMs.AddRange(aTimes);
            bMs.AddRange(bTimes);
            estimate = null;
            if (options.FixedRounds is null && rounds.Count >= options.MinRounds)
            {
                estimate = Estimate(rounds, bootstrapSeed, options.Threshold);
                if (VerdictRule.NarrowEnough(estimate.Lower, estimate.Upper, options.Threshold))
                {
                    progress?.Invoke(rounds.Count, estimate);
                    stopped = StopReason.Narrow;
                    break;
                }
            }

            progress?.Invoke(rounds.Count, estimate);
        }

        return new ComparisonResult
        {
            AName = a.Name,
            BName = b.Name,
            Rounds = rounds,
            ARequestMs = aMs,
            BRequestMs = bMs,
            Ratio = estimate ?? Estimate(rounds, bootstrapSeed, options.Threshold),
            Stopped = stopped,
            Seed = seed,
            Noise = noise.Stop(),
            BlockRequests = options.BlockRequests,
            WarmupRequests = options.WarmupRounds * options.BlockRequests,
            DroppedRounds = dropped,
            UnsettledBlocks = unsettled,
            Elapsed = time.GetElapsedTime(started),
        };
    }

    private static RatioEstimate Estimate(List<RoundPair> rounds, ulong seed, double threshold) =>
        rounds.All(r => r.AMsPerUnit > 0 && r.BMsPerUnit > 0)
            ? PairedRatio.Estimate([.. rounds.Select(r => r.AMsPerUnit)], [.. rounds.Select(r => r.BMsPerUnit)], seed, threshold)
            : RatioEstimate.None("no ratio: a side's block took no measurable time", threshold);
}
