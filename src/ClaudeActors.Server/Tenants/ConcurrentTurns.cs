using System.Collections.Concurrent;

namespace ClaudeActors.Server.Tenants;

/// <summary>
/// Turns running per key, against the key's <see cref="Security.ApiKeyOptions.MaxConcurrentTurns"/>. A slot is taken
/// before the turn reaches its conversation or the worker pool and given back when its response has ended, so a
/// refused request leaves nothing behind.
/// </summary>
internal sealed class ConcurrentTurns
{
    private readonly ConcurrentDictionary<string, Counter> _running = new(StringComparer.Ordinal);

    /// <summary>Turns of <paramref name="key"/> running now.</summary>
    public int Running(string key) => _running.TryGetValue(key, out var box) ? Volatile.Read(ref box.Count) : 0;

    /// <summary>Takes a slot of <paramref name="key"/>; false (and nothing taken) when <paramref name="limit"/> are running.</summary>
    public bool TryEnter(string key, int limit)
    {
        var box = _running.GetOrAdd(key, static _ => new Counter());
        while (true)
        {
            var now = Volatile.Read(ref box.Count);
            if (now >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref box.Count, now + 1, now) == now)
            {
                return true;
            }
        }
    }

    public void Exit(string key)
    {
        if (_running.TryGetValue(key, out var box))
        {
            Interlocked.Decrement(ref box.Count);
        }
    }

    private sealed class Counter
    {
        public int Count;
    }
}
