using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Krait.Server.Tests;

/// <summary>
/// Keeps the server's request log lines (one per request) for tests to read what clients asked for, and every error
/// any part of the server logged (an unexpected exception's text), for a failing test to show.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName == "Krait.Server.Requests" ? Lines : null, Errors);

    /// <summary>The errors logged, for an assertion's message.</summary>
    public override string ToString() => string.Join('\n', Errors);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string>? lines, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => lines is not null || logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (lines is not null)
            {
                lines.Enqueue(formatter(state, exception));
            }
            else if (logLevel >= LogLevel.Error)
            {
                errors.Enqueue($"{formatter(state, exception)} {exception}");
            }
        }
    }
}
