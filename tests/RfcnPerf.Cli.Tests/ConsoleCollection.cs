namespace RfcnPerf.Cli.Tests;

/// <summary>Tests that redirect the process-wide Console run one at a time, so no other test's output lands in their capture.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    /// <summary>The collection's name; <c>nameof(ConsoleCollection)</c> names the same collection.</summary>
    public const string Name = nameof(ConsoleCollection);
}
