using System.Collections.Concurrent;

namespace ClaudeActors.Server.Tenants;

/// <summary>
/// Requests per minute per key, as a sliding log: the times of the requests admitted in the last minute. A request is
/// admitted while fewer than the limit are in it; a refused one learns exactly when the oldest leaves the minute, which
/// is its <c>Retry-After</c>. A key's log holds at most its limit of times; a reloaded key file (a new generation) starts
/// every log afresh.
/// </summary>
internal sealed class RequestWindows(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Log> _logs = new(StringComparer.Ordinal);

    /// <summary>Admits a request of <paramref name="key"/> (null), or says how long until one would be admitted.</summary>
    public TimeSpan? TryAdmit(string key, int generation, int limit)
    {
        var log = _logs.AddOrUpdate(
            key,
            static (_, generation) => new Log(generation),
            static (_, existing, generation) => existing.Generation == generation ? existing : new Log(generation),
            generation);
        var now = time.GetUtcNow();
        lock (log)
        {
            while (log.Times.TryPeek(out var oldest) && now - oldest >= Window)
            {
                log.Times.Dequeue();
            }

            if (log.Times.Count < limit)
            {
                log.Times.Enqueue(now);
                return null;
            }

            return log.Times.Peek() + Window - now;
        }
    }

    private sealed class Log(int generation)
    {
        public int Generation { get; } = generation;

        public Queue<DateTimeOffset> Times { get; } = new();
    }
}
