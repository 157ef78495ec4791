using RfcnPerf.Testing;

namespace RfcnPerf.Cli.Tests.Docs;

/// <summary>
/// Every reference to a document resolves inside the repository: code, tests, scripts and the committed results
/// mention <c>docs/*.md</c>, and Markdown files link to each other and to result files. The planted cases
/// below show that the scan fails on each kind of dangling reference, naming the file, the line and the target.
/// </summary>
public sealed class DocReferenceTests
{
    private static readonly string Root = TestPaths.RepoRoot;

    // Built from parts so that this file does not itself hold the dangling reference the repository scan looks for.
    private static readonly string MissingDoc = "docs/" + "NO-SUCH-DOC.md";

    // A Markdown file in docs/ that does not exist: links in the planted texts resolve from its folder.
    private static readonly string PlantedMarkdown = "docs/" + "Planted.md";

    [Fact]
    public void Every_doc_reference_and_relative_link_in_the_repository_resolves()
    {
        var dangling = DocReferenceScanner.Scan(Root);

        Assert.True(dangling.Count == 0, $"{dangling.Count} dangling reference(s):\n{string.Join('\n', dangling)}");
    }

    [Fact]
    public void The_documents_the_code_refers_to_exist()
    {
        // The repository scan passes vacuously if nothing refers to docs/ at all; the code does, by these names.
        foreach (var doc in new[] { "ARCHITECTURE.md", "BENCHMARKING.md", "COCOEVAL.md", "INT8.md", "MODELS.md", "STYLE.md" })
        {
            Assert.True(File.Exists(Path.Combine(Root, "docs", doc)), $"docs/{doc} is missing");
        }
    }

    [Fact]
    public void A_mention_of_a_missing_doc_is_named_with_its_file_and_line()
    {
        var found = DocReferenceScanner.Dangling(Root, "src/Planted.cs", $"namespace X;\n/// <summary>As {MissingDoc} says.</summary>\n");

        var only = Assert.Single(found);
        Assert.StartsWith("src/Planted.cs:2: " + MissingDoc, only, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mention_of_an_existing_doc_passes_and_a_missing_section_of_it_fails()
    {
        Assert.Empty(DocReferenceScanner.Dangling(Root, "src/Planted.cs", "// docs/MODELS.md §2 and docs/MODELS.md section 4"));

        var found = DocReferenceScanner.Dangling(Root, "src/Planted.cs", "// docs/MODELS.md §" + "97");

        Assert.Contains("has no heading numbered 97", Assert.Single(found), StringComparison.Ordinal);
    }

    [Fact]
    public void A_web_address_containing_docs_is_not_a_repository_reference()
    {
        Assert.Empty(DocReferenceScanner.Dangling(Root, "src/Planted.cs", $"// https://example.org/{MissingDoc}"));
    }

    [Fact]
    public void Relative_markdown_links_must_resolve_from_the_file_that_holds_them()
    {
        var text = string.Join('\n',
            "[architecture](ARCHITECTURE.md), [readme](../README.md), [results](../results/README.md)",
            "![a chart](../results/reference/charts/roofline.png)",
            "[gone](NO-SUCH-FILE.md) and [out](../../outside.md)",
            "[site](https://example.org/NO-SUCH-FILE.md), `[code](NO-SUCH-FILE.md)`",
            "```",
            "[in a code block](NO-SUCH-FILE.md)",
            "```",
            "[ref]: ../NO-SUCH-FILE.md");

        var found = DocReferenceScanner.Dangling(Root, PlantedMarkdown, text);

        Assert.Equal(3, found.Count);
        Assert.Contains(found, f => f.StartsWith(PlantedMarkdown + ":3: NO-SUCH-FILE.md (no such file", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith(PlantedMarkdown + ":3: ../../outside.md (outside the repository", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith(PlantedMarkdown + ":8: ../NO-SUCH-FILE.md", StringComparison.Ordinal));
    }

    [Fact]
    public void A_link_anchor_must_name_a_heading_of_its_target()
    {
        var text = "# Planted\n\n## A section\n\n[ok](#a-section), [ok too](MODELS.md#1-the-catalog), [no](MODELS.md#no-such-heading), [no here](#nowhere)";

        var found = DocReferenceScanner.Dangling(Root, PlantedMarkdown, text);

        Assert.Equal(2, found.Count);
        Assert.Contains(found, f => f.Contains("MODELS.md#no-such-heading (no heading with the anchor", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains("#nowhere (no heading with the anchor", StringComparison.Ordinal));
    }

    [Fact]
    public void Anchors_follow_githubs_rules()
    {
        var anchors = DocReferenceScanner.Anchors("# 1. The catalog\n## Benchmark sweep (`./run-bench.sh [PROFILE]`)\n## Notes\n## Notes\n```\n# not a heading\n```");

        Assert.Equal(["1-the-catalog", "benchmark-sweep-run-benchsh-profile", "notes", "notes-1"], anchors.Order(StringComparer.Ordinal));
    }
}
