using ClaudeActors.Chat;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Workers;

/// <summary>
/// Admission to the CLI workers: at most <see cref="WorkerPoolOptions.MaxConcurrency"/> leases at once, waiters in
/// arrival order in a queue of bounded length and bounded wait. A full queue or a long wait is a
/// <see cref="ChatFailureKind.Saturated"/> failure with a <c>Retry-After</c> estimated from recent turn times.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly WorkerPoolOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private int _queued;
    private int _queuedNew;
    private int _active;
    private long _averageHoldTicks = TimeSpan.FromSeconds(2).Ticks;

    public WorkerPool(IOptions<WorkerPoolOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
    }

    public int MaxConcurrency => _options.MaxConcurrency;

    public int Active => Volatile.Read(ref _active);

    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// The failure a new request would get right now (every worker busy and the queue full), or null. A cheap early
    /// answer that spares a refused request the work of reaching its conversation; <see cref="AcquireAsync"/> stays
    /// the check that counts.
    /// </summary>
    public ChatFailure? RefusalNow() =>
        _slots.CurrentCount == 0 && Volatile.Read(ref _queuedNew) >= _options.MaxQueueLength
            ? Saturated($"All {_options.MaxConcurrency} Claude workers are busy and {_options.MaxQueueLength} requests are waiting already.")
            : null;

    /// <summary>
    /// Waits for a free worker. <paramref name="admitted"/> requests (a retry of one that already held a worker)
    /// wait without counting against the queue's length.
    /// </summary>
    public async ValueTask<WorkerLease> AcquireAsync(bool admitted, CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, CancellationToken.None))
        {
            await WaitInQueueAsync(admitted, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _active);
        return new WorkerLease(this, _time.GetTimestamp());
    }

    public void Dispose() => _slots.Dispose();

    internal void Release(long acquiredAt)
    {
        var held = _time.GetElapsedTime(acquiredAt).Ticks;
        var average = Volatile.Read(ref _averageHoldTicks);
        Volatile.Write(ref _averageHoldTicks, average + ((held - average) / 8));
        Interlocked.Decrement(ref _active);
        _slots.Release();
    }

    private async Task WaitInQueueAsync(bool admitted, CancellationToken cancellationToken)
    {
        // Only new requests count against the queue's length; retries of admitted ones wait beside them.
        if (!admitted && Interlocked.Increment(ref _queuedNew) > _options.MaxQueueLength)
        {
            Interlocked.Decrement(ref _queuedNew);
            throw Saturated($"All {_options.MaxConcurrency} Claude workers are busy and {_options.MaxQueueLength} requests are waiting already.");
        }

        Interlocked.Increment(ref _queued);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.QueueTimeoutSeconds), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Saturated($"No Claude worker became free within {_options.QueueTimeoutSeconds:0.###} s.");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
            if (!admitted)
            {
                Interlocked.Decrement(ref _queuedNew);
            }
        }
    }

    private ChatFailure Saturated(string message)
    {
        var perSlot = TimeSpan.FromTicks(Volatile.Read(ref _averageHoldTicks));
        var waves = (Queued + 1.0) / _options.MaxConcurrency;
        var seconds = Math.Clamp(Math.Ceiling(perSlot.TotalSeconds * waves), 1, 60);
        return new ChatFailure(ChatFailureKind.Saturated, message, isTransient: false, TimeSpan.FromSeconds(seconds));
    }
}
