using System.Xml.Linq;
using RfcnPerf.Core.Assets;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests.Architecture;

/// <summary>
/// The shape the README draws: which project may reference which, and no cycle among Core's namespaces (a cycle
/// makes two namespaces one idea that cannot be read, tested or moved apart).
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Every project and the projects it may reference (exactly these).</summary>
    private static readonly Dictionary<string, string[]> AllowedReferences = new(StringComparer.Ordinal)
    {
        ["RfcnPerf.Coco"] = [],
        ["RfcnPerf.Coco.Cli"] = ["RfcnPerf.Coco"],
        ["RfcnPerf.Onnx"] = [],
        ["RfcnPerf.Statistics"] = [],
        ["RfcnPerf.Reporting"] = ["RfcnPerf.Statistics"],
        ["RfcnPerf.Core"] = ["RfcnPerf.Coco", "RfcnPerf.Onnx", "RfcnPerf.Statistics"],
        ["RfcnPerf.Quantization"] = ["RfcnPerf.Core", "RfcnPerf.Onnx"],
        ["RfcnPerf.Accuracy"] = ["RfcnPerf.Coco", "RfcnPerf.Core", "RfcnPerf.Onnx", "RfcnPerf.Reporting"],
        ["RfcnPerf.Serving"] = ["RfcnPerf.Coco", "RfcnPerf.Core", "RfcnPerf.Reporting", "RfcnPerf.Statistics"],
        ["RfcnPerf.Cli"] = ["RfcnPerf.Accuracy", "RfcnPerf.Coco", "RfcnPerf.Coco.Cli", "RfcnPerf.Core", "RfcnPerf.Onnx", "RfcnPerf.Quantization", "RfcnPerf.Reporting", "RfcnPerf.Serving"],
        ["RfcnPerf.Bench"] = ["RfcnPerf.Coco", "RfcnPerf.Core", "RfcnPerf.Onnx", "RfcnPerf.Quantization", "RfcnPerf.Reporting", "RfcnPerf.Serving"],
        ["RfcnPerf.Fuzz"] = ["RfcnPerf.Accuracy", "RfcnPerf.Coco", "RfcnPerf.Core", "RfcnPerf.Onnx", "RfcnPerf.Serving"],
        ["RfcnPerf.Coco.Tests"] = ["RfcnPerf.Coco"],
        ["RfcnPerf.Onnx.Tests"] = ["RfcnPerf.Core", "RfcnPerf.Onnx"],
        ["RfcnPerf.Statistics.Tests"] = ["RfcnPerf.Statistics"],
        ["RfcnPerf.Reporting.Tests"] = ["RfcnPerf.Reporting"],
        ["RfcnPerf.Core.Tests"] = ["RfcnPerf.Core"],
        ["RfcnPerf.Quantization.Tests"] = ["RfcnPerf.Quantization"],
        ["RfcnPerf.Accuracy.Tests"] = ["RfcnPerf.Accuracy", "RfcnPerf.Quantization"],
        ["RfcnPerf.Serving.Tests"] = ["RfcnPerf.Serving"],
        ["RfcnPerf.Cli.Tests"] = ["RfcnPerf.Cli"],
        ["RfcnPerf.Bench.Tests"] = ["RfcnPerf.Bench"],
    };

    [Fact]
    public void Every_project_references_only_what_the_layering_allows()
    {
        var projects = ProjectFiles().ToDictionary(p => Path.GetFileNameWithoutExtension(p), References, StringComparer.Ordinal);

        Assert.Equal(AllowedReferences.Keys.Order(StringComparer.Ordinal), projects.Keys.Order(StringComparer.Ordinal));
        Assert.All(projects, p => Assert.True(
            AllowedReferences[p.Key].SequenceEqual(p.Value),
            $"{p.Key} references [{string.Join(", ", p.Value)}], allowed [{string.Join(", ", AllowedReferences[p.Key])}]"));
    }

    [Fact]
    public void Cores_namespaces_form_no_cycle()
    {
        var graph = NamespaceGraph.Build(typeof(AssetStore).Assembly, "RfcnPerf.Core");

        // The scanner sees real uses (so an empty graph cannot pass): the pipeline runs sessions, the store knows families.
        Assert.Contains("Inference", graph["Pipeline"]);
        Assert.Contains("Models", graph["Assets"]);
        Assert.True(graph.Count >= 10, string.Join(", ", graph.Keys));

        var cycles = NamespaceGraph.Cycles(graph);

        Assert.True(cycles.Count == 0, "cycles among RfcnPerf.Core's namespaces: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))) +
            ". Edges: " + string.Join("; ", graph.Where(kv => cycles.Any(c => c.Contains(kv.Key))).Select(kv => $"{kv.Key} -> {string.Join(", ", kv.Value.Where(v => cycles.Any(c => c.Contains(kv.Key) && c.Contains(v))))}")));
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A", "D"],
            ["D"] = [],
        };

        Assert.Equal([["A", "B", "C"]], NamespaceGraph.Cycles(graph));
    }

    /// <summary>
    /// STYLE.md rule 3: a library opens its internals to its tests and to the harnesses that exercise them (the bench,
    /// the fuzz targets; Serving also to the CLI that hosts it), never to another library, whose use of it must go
    /// through the public API.
    /// </summary>
    [Fact]
    public void Internals_are_open_only_to_tests_and_harnesses()
    {
        var opened = ProjectFiles()
            .Where(p => !Path.GetFileNameWithoutExtension(p).EndsWith(".Tests", StringComparison.Ordinal))
            .SelectMany(p => XDocument.Load(p).Descendants("InternalsVisibleTo")
                .Select(i => (From: Path.GetFileNameWithoutExtension(p), To: i.Attribute("Include")!.Value)))
            .ToList();

        // The scanner sees the real entries (so an empty list cannot pass).
        Assert.Contains(("RfcnPerf.Onnx", "RfcnPerf.Onnx.Tests"), opened);
        var wrong = opened.Where(o => !(o.To.EndsWith(".Tests", StringComparison.Ordinal) || o.To is "RfcnPerf.Fuzz" or "RfcnPerf.Bench"
            || (o.From, o.To) is ("RfcnPerf.Serving", "rfcnperf"))).ToList();
        Assert.True(wrong.Count == 0, "internals opened to a library: " + string.Join("; ", wrong.Select(o => $"{o.From} -> {o.To}")));
    }

    /// <summary>Every project file of the source tree.</summary>
    private static IEnumerable<string> ProjectFiles() =>
        Directory.EnumerateFiles(TestPaths.RepoRoot, "*.csproj", SearchOption.AllDirectories)
            // Build outputs are not the source tree (BenchmarkDotNet writes generated projects under bin/ while it runs).
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string[] References(string csproj) =>
        [.. XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar)))
            .Order(StringComparer.Ordinal)];
}
