using RfcnPerf.Bench.Profiles;

namespace RfcnPerf.Bench;

/// <summary>
/// <c>RfcnPerf.Bench [PROFILE] [--models NAME|PATH[,...]] [BenchmarkDotNet args]</c>: the profile (quick when
/// omitted), an optional model list replacing the profile's, and everything else passed to BenchmarkDotNet
/// untouched (<c>--filter</c>, <c>--job</c>, <c>--list</c>, <c>--anyCategories</c>, ...). <c>--roofline-from DIR</c>
/// measures nothing: it draws a past run's roofline again from its results folder.
/// </summary>
internal sealed record BenchArguments(BenchProfile Profile, IReadOnlyList<string>? Models, string[] BenchmarkDotNetArgs, bool Help, string? RooflineFrom = null)
{
    /// <summary>Usage text.</summary>
    public static string Usage =>
        $"""
        usage: run-bench.sh [PROFILE] [--models NAME|PATH.onnx[,...]] [BenchmarkDotNet options]
          PROFILE   {string.Join(" | ", BenchProfile.All.Select(p => p.Name))} (default: {BenchProfile.Quick.Name})
        {string.Join(Environment.NewLine, BenchProfile.All.Select(p => $"            {p.Name,-6} {p.Description}"))}
          --models  sweep these catalog models or .onnx files instead of the profile's (INT8 counterparts of catalog
                    models are added); a model that cannot be found fails the run before anything is measured
          BenchmarkDotNet options pass through, e.g. --filter '*RealTime*', --list flat, --anyCategories inference
          --roofline-from DIR  measure nothing: draw DIR/charts/roofline.png again from a past run's results folder
                    (its BenchmarkDotNet CSV reports and summary.md peaks) with today's traffic estimate
        Results go to results/<UTC timestamp>-<profile>/ (summary.md first).
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a one-line reason on bad input.</summary>
    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        var profile = BenchProfile.Quick;
        List<string>? models = null;
        string? rooflineFrom = null;
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (i == 0 && !arg.StartsWith('-'))
            {
                profile = BenchProfile.Find(arg)
                    ?? throw new ArgumentException($"unknown profile '{arg}'; known profiles: {string.Join(", ", BenchProfile.All.Select(p => p.Name))}");
                continue;
            }

            if (arg is "--models")
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith('-'))
                {
                    throw new ArgumentException("--models needs a comma-separated list of catalog names or .onnx paths");
                }

                models = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                continue;
            }

            if (arg is "--roofline-from")
            {
                rooflineFrom = i + 1 < args.Count && !args[i + 1].StartsWith('-')
                    ? args[++i]
                    : throw new ArgumentException("--roofline-from needs a results folder (the one holding summary.md)");
                continue;
            }

            help |= arg is "--help" or "-h" or "-?";
            rest.Add(arg);
        }

        // Without a filter BenchmarkDotNet asks interactively which benchmarks to run: run all of the profile's.
        var selects = rest.Any(a => a is "--filter" or "-f" or "--list" or "--allCategories" or "--anyCategories" or "--method" or "-m" or "--help" or "-h" or "-?" or "--info" or "--version");
        if (!selects)
        {
            rest.AddRange(["--filter", "*"]);
        }

        return new BenchArguments(profile, models, [.. rest], help, rooflineFrom);
    }
}
