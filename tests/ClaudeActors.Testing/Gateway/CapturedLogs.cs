using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Testing.Gateway;

/// <summary>
/// A logger provider that keeps every entry a gateway logs (Information and above), its exception included, so a test
/// can read what the server told its operator: the real cause of a failure, the paths it keeps from clients.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Every entry so far, one line each: level, category, message, then the exception as it prints.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>All entries as one text.</summary>
    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            }
        }
    }
}
