namespace ClaudeActors.Workers;

/// <summary>A held worker slot; disposing gives it back (once).</summary>
internal sealed class WorkerLease : IDisposable
{
    private readonly WorkerPool _pool;
    private readonly long _acquiredAt;
    private int _released;

    internal WorkerLease(WorkerPool pool, long acquiredAt)
    {
        _pool = pool;
        _acquiredAt = acquiredAt;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _pool.Release(_acquiredAt);
        }
    }
}
