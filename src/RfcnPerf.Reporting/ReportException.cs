namespace RfcnPerf.Reporting;

/// <summary>
/// A report input the user named that cannot be used (a run folder without its summary, a file of another kind):
/// the message names the file, what was expected and what was found.
/// </summary>
public sealed class ReportException : Exception
{
    public ReportException(string message)
        : base(message)
    {
    }

    public ReportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
