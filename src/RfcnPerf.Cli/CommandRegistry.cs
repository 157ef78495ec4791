using System.CommandLine;

namespace RfcnPerf.Cli;

/// <summary>The top-level commands, one factory per command file.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield break;
    }
}
