using RfcnPerf.Testing;

namespace RfcnPerf.Reporting.Tests;

/// <summary>
/// <see cref="DocLink"/>: a report written in a run folder of the checkout links to the document by a path that
/// resolves from that folder; one written elsewhere names the document by its repository path.
/// </summary>
public sealed class DocLinkTests
{
    [Theory]
    [InlineData("results/20990101-000000-quick")]
    [InlineData("results/accuracy/20990101-000000")]
    [InlineData("results/compare-example/runs/20990101-000000-quick-vm-job1")]
    public void A_report_inside_the_checkout_gets_a_link_that_resolves_from_its_folder(string runFolder)
    {
        var folder = Path.Combine(TestPaths.RepoRoot, runFolder);

        var link = DocLink.To("INT8.md", folder);

        var target = link[(link.IndexOf("](", StringComparison.Ordinal) + 2)..^1];
        Assert.StartsWith("[docs/INT8.md](", link, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, target)), $"{link} does not resolve from {runFolder}");
    }

    [Fact]
    public void A_report_outside_any_checkout_names_the_document_by_its_repository_path()
    {
        using var dir = new TempDir();

        Assert.Equal("docs/INT8.md in the RfcnPerf repository", DocLink.To("INT8.md", dir.Path));
    }

    [Fact]
    public void A_document_the_checkout_does_not_have_is_not_linked()
    {
        var link = DocLink.To("NO-SUCH-DOC.md", Path.Combine(TestPaths.RepoRoot, "results", "20990101-000000-quick"));

        Assert.DoesNotContain("](", link, StringComparison.Ordinal);
    }
}
