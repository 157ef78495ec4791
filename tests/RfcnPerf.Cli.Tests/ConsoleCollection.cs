namespace RfcnPerf.Cli.Tests;

/// <summary>Tests that redirect Console run alone, so no other test's output lands in their capture.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
