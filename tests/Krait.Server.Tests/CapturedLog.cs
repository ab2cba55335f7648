using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Krait.Server.Tests;

/// <summary>Keeps the server's request log lines (one per request) for tests to read what clients asked for.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName == "Krait.Server.Requests" ? Lines : null);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string>? lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => lines is not null;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines?.Enqueue(formatter(state, exception));
    }
}
