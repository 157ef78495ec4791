namespace RfcnPerf.Core;

/// <summary>
/// A user-fixable problem (missing asset, wrong model family, corrupt image, bad option): the message says
/// what was expected, what was found, where, and what to do.
/// </summary>
public sealed class RfcnPerfException : Exception
{
    public RfcnPerfException(string message)
        : base(message)
    {
    }

    public RfcnPerfException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
