using RfcnPerf.Coco;
using RfcnPerf.Core;
using RfcnPerf.Onnx;
using RfcnPerf.Reporting;

namespace RfcnPerf.Cli;

/// <summary>
/// Turns a user mistake into one line on stderr and exit code 2; an internal bug keeps its stack trace and
/// exits with 1 (docs/STYLE.md guideline 5).
/// </summary>
internal static class CliErrors
{
    public const int UserError = 2;
    public const int Failure = 1;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return Failure;
        }
    }

    public static bool IsUserError(Exception ex) => ex is CocoException or OnnxModelException or RfcnPerfException or ReportException
        or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;
}
