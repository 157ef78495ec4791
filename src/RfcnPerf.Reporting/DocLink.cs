namespace RfcnPerf.Reporting;

/// <summary>
/// A reference from a generated report to one of the repository's documents (<c>docs/</c>): a Markdown link relative
/// to the report's folder when the report is written inside a checkout that holds the document (a run folder under
/// <c>results/</c>), else the document's repository path in words (a report written by the installed tool elsewhere),
/// so the reference never points at nothing.
/// </summary>
public static class DocLink
{
    /// <summary>The reference to <c>docs/<paramref name="docFileName"/></c> as seen from <paramref name="reportDirectory"/>.</summary>
    public static string To(string docFileName, string reportDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(docFileName);
        ArgumentException.ThrowIfNullOrEmpty(reportDirectory);
        var label = "docs/" + docFileName;
        var from = Path.GetFullPath(reportDirectory);
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            var doc = Path.Combine(dir.FullName, "docs", docFileName);
            if (File.Exists(Path.Combine(dir.FullName, "RfcnPerf.sln")) && File.Exists(doc))
            {
                return $"[{label}]({Path.GetRelativePath(from, doc).Replace('\\', '/')})";
            }
        }

        return $"{label} in the RfcnPerf repository";
    }
}
