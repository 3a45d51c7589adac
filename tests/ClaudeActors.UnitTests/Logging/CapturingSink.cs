using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ClaudeActors.UnitTests.Logging;

/// <summary>A Serilog sink that keeps every event and lets a test wait for one.</summary>
internal sealed class CapturingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();
    private readonly List<(Func<LogEvent, bool> Match, TaskCompletionSource<LogEvent> Seen)> _waiters = [];
    private readonly Lock _gate = new();

    /// <summary>Every event so far, in order.</summary>
    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent)
    {
        _events.Enqueue(logEvent);
        lock (_gate)
        {
            foreach (var waiter in _waiters.Where(w => w.Match(logEvent)).ToList())
            {
                waiter.Seen.TrySetResult(logEvent);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first event, past or future, that <paramref name="match"/> accepts.</summary>
    public Task<LogEvent> WaitForAsync(Func<LogEvent, bool> match)
    {
        lock (_gate)
        {
            if (_events.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var waiter = new TaskCompletionSource<LogEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task;
        }
    }
}
