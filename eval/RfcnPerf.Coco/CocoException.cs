namespace RfcnPerf.Coco;

/// <summary>
/// A problem with COCO input (ground truth, results, parameters) that the user can fix: the message says
/// what was expected, what was found, and where (file, record index, field).
/// </summary>
public sealed class CocoException : Exception
{
    public CocoException(string message)
        : base(message)
    {
    }

    public CocoException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
