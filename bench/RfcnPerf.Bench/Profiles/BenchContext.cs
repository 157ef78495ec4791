using System.Globalization;
using RfcnPerf.Core.Machine;

namespace RfcnPerf.Bench.Profiles;

/// <summary>
/// The state of this run that benchmark classes read from their <c>[ParamsSource]</c> members: profile,
/// resolved model variants, results folder. Program publishes it as environment variables before
/// BenchmarkDotNet starts, so out-of-process benchmark processes (which inherit the environment) see exactly
/// the same parameter lists as the host.
/// </summary>
public sealed class BenchContext
{
    private const string ProfileVariable = "RFCNPERF_BENCH_PROFILE";
    private const string VariantsVariable = "RFCNPERF_BENCH_VARIANTS";
    private const string OutputVariable = "RFCNPERF_BENCH_OUT";
    private const string CostVariable = "RFCNPERF_BENCH_RELATIVE_COST";
    private const string ForceIntraVariable = "RFCNPERF_BENCH_FORCE_INTRA";

    private static BenchContext? current;
    private static readonly Lazy<int> Cores = new(() => MachineInfo.Current().PhysicalCores);

    private BenchContext(BenchProfile profile, IReadOnlyList<ModelVariant> variants, string? outputDir)
    {
        Profile = profile;
        Variants = variants;
        OutputDir = outputDir;
    }

    /// <summary>This process's context (from the environment; the quick profile's variants when nothing was published).</summary>
    public static BenchContext Current => current ??= Load();

    /// <summary>Physical cores of this machine (grids scale with it).</summary>
    public static int PhysicalCores => Cores.Value;

    /// <summary>
    /// Intra-op threads every session of this run uses whatever its case declares (run-bench --force-intra), or null.
    /// Published like the rest, so out-of-process cases see it too.
    /// </summary>
    public static int? ForcedIntraOp =>
        Environment.GetEnvironmentVariable(ForceIntraVariable) is { Length: > 0 } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    /// <summary>Forces (or, with null, stops forcing) the intra-op threads of every session of this run and its children.</summary>
    public static void ForceIntraOp(int? threads) =>
        Environment.SetEnvironmentVariable(ForceIntraVariable, threads?.ToString(CultureInfo.InvariantCulture));

    /// <summary>The profile in force.</summary>
    public BenchProfile Profile { get; }

    /// <summary>The model variants to sweep (resolved and available).</summary>
    public IReadOnlyList<ModelVariant> Variants { get; }

    /// <summary>The run's results folder, when one was published.</summary>
    public string? OutputDir { get; }

    /// <summary>
    /// Publishes the run's state for this process and its children: the variants BenchmarkDotNet runs next and their
    /// cost per image relative to the default model (the profile's sampling is scaled by it, <see cref="BenchProfile.SampledFor"/>).
    /// A run publishes once per group of variants that share a sampling.
    /// </summary>
    public static void Publish(BenchProfile profile, IReadOnlyList<ModelVariant> variants, string outputDir, double relativeCost = 1)
    {
        Environment.SetEnvironmentVariable(ProfileVariable, profile.Name);
        Environment.SetEnvironmentVariable(VariantsVariable, string.Join('\n', variants.Select(v => $"{v.Model}\t{v.Precision}\t{v.Source}")));
        Environment.SetEnvironmentVariable(OutputVariable, outputDir);
        Environment.SetEnvironmentVariable(CostVariable, relativeCost.ToString("R", CultureInfo.InvariantCulture));
        current = null;
    }

    private static BenchContext Load()
    {
        var profile = Environment.GetEnvironmentVariable(ProfileVariable) is { Length: > 0 } name
            ? BenchProfile.Find(name) ?? throw new InvalidOperationException($"{ProfileVariable}={name} names no profile")
            : BenchProfile.Quick;
        if (Environment.GetEnvironmentVariable(CostVariable) is { Length: > 0 } cost)
        {
            profile = profile.SampledFor(double.Parse(cost, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        var variants = Environment.GetEnvironmentVariable(VariantsVariable) is { Length: > 0 } list
            ? list.Split('\n').Select(line => line.Split('\t')).Select(f => new ModelVariant(f[0], f[1], f[2])).ToArray()
            : profile.Variants();
        return new BenchContext(profile, variants, Environment.GetEnvironmentVariable(OutputVariable) is { Length: > 0 } o ? o : null);
    }
}
