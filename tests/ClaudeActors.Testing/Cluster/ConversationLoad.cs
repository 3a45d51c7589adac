using System.Collections.Concurrent;

namespace ClaudeActors.Testing.Cluster;

/// <summary>
/// Many conversations of a few turns each, run by a <see cref="ResilientChatClient"/> with a bounded number in flight
/// at once; each turn's text is unique (<see cref="TextOf"/>). Tests wait on <see cref="WaitForTurnsAsync"/> to act in
/// the middle of the load.
/// </summary>
public sealed class ConversationLoad(Func<string, ResilientChatClient> clientFor, string prefix, int conversations, int turns, int concurrency)
{
    private readonly ConcurrentQueue<TurnOutcome> _outcomes = new();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly ConcurrentQueue<string> _started = new();
    private int _completed;
    private int _stopped;

    /// <summary>A load whose conversations all go through <paramref name="client"/>.</summary>
    public ConversationLoad(ResilientChatClient client, string prefix, int conversations, int turns, int concurrency)
        : this(_ => client, prefix, conversations, turns, concurrency)
    {
    }

    /// <summary>The session ids, in order.</summary>
    public IReadOnlyList<string> SessionIds { get; } = [.. Enumerable.Range(1, conversations).Select(i => $"{prefix}-{i:D3}")];

    public int Turns => turns;

    /// <summary>The conversations that have begun (all but those <see cref="StopStarting"/> kept from starting).</summary>
    public IReadOnlyList<string> StartedIds => [.. _started];

    /// <summary>Turns completed so far.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Every completed turn so far.</summary>
    public IReadOnlyList<TurnOutcome> Outcomes => [.. _outcomes];

    /// <summary>The text the client sends as turn <paramref name="turn"/> of <paramref name="sessionId"/>.</summary>
    public static string TextOf(string sessionId, int turn) => $"Message {turn} of {sessionId}.";

    /// <summary>Runs every conversation to its end.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(SessionIds, 1, turns, cancellationToken);

    /// <summary>Runs turns <paramref name="firstTurn"/> to <paramref name="lastTurn"/> of the conversations <paramref name="sessionIds"/>.</summary>
    public async Task RunAsync(IEnumerable<string> sessionIds, int firstTurn, int lastTurn, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency);
        var runs = sessionIds.Select(async id =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Volatile.Read(ref _stopped) != 0)
                {
                    return;
                }

                _started.Enqueue(id);
                for (var turn = firstTurn; turn <= lastTurn; turn++)
                {
                    var outcome = await clientFor(id).RunTurnAsync(id, turn, TextOf(id, turn), cancellationToken).ConfigureAwait(false);
                    _outcomes.Enqueue(outcome);
                    OnCompleted(Interlocked.Increment(ref _completed));
                }
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(runs).ConfigureAwait(false);
    }

    /// <summary>Lets the conversations that have begun run to their end, and starts no more.</summary>
    public void StopStarting() => Volatile.Write(ref _stopped, 1);

    /// <summary>Completes once <paramref name="count"/> turns have completed.</summary>
    public Task WaitForTurnsAsync(int count)
    {
        lock (_lock)
        {
            if (Completed >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    private void OnCompleted(int completed)
    {
        lock (_lock)
        {
            foreach (var waiter in _waiters.Where(w => w.Count <= completed).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
