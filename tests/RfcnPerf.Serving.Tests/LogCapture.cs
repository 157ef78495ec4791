using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RfcnPerf.Serving.Tests;

/// <summary>
/// A logging provider that keeps every entry the server writes past its filters (the console's minimum level and
/// the filter on grpc-dotnet), so a test sees what an operator's log would hold.
/// </summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyList<Entry> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    /// <summary>Waits (at most <paramref name="timeout"/>) until <paramref name="count"/> entries arrived: a request's
    /// line is written after its response, so the client can see the answer first.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (entries.Count < count && clock.Elapsed < timeout)
        {
            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
    }

    /// <summary>One log entry as written: the formatted message, and the exception a console would print below it.</summary>
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
