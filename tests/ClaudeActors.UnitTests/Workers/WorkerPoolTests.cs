using ClaudeActors.Chat;
using ClaudeActors.Workers;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.Workers;

public sealed class WorkerPoolTests
{
    /// <summary>Only a guard against a hang; no test depends on how long anything takes.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static WorkerPool Create(int maxConcurrency = 2, int maxQueueLength = 8, double queueTimeoutSeconds = 120) =>
        new(
            Options.Create(new WorkerPoolOptions
            {
                MaxConcurrency = maxConcurrency,
                MaxQueueLength = maxQueueLength,
                QueueTimeoutSeconds = queueTimeoutSeconds,
            }),
            TimeProvider.System);

    private static Task<WorkerLease> Acquire(WorkerPool pool, bool admitted = false, CancellationToken cancellationToken = default) =>
        pool.AcquireAsync(admitted, cancellationToken).AsTask();

    private static void AssertSaturated(ChatFailure failure)
    {
        Assert.Equal(ChatFailureKind.Saturated, failure.Kind);
        Assert.NotNull(failure.RetryAfter);
        Assert.InRange(failure.RetryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void NewPool_HasNothingActiveOrQueued()
    {
        using var pool = Create(maxConcurrency: 3);

        Assert.Equal(3, pool.MaxConcurrency);
        Assert.Equal(0, pool.Active);
        Assert.Equal(0, pool.Queued);
    }

    [Fact]
    public async Task AcquireAsync_UpToMaxConcurrency_IsImmediate_AndTheNextWaitsUntilALeaseIsDisposed()
    {
        using var pool = Create(maxConcurrency: 2);
        var first = await Acquire(pool).WaitAsync(Guard);
        using var second = await Acquire(pool).WaitAsync(Guard);

        var third = Acquire(pool);

        Assert.False(third.IsCompleted);
        Assert.Equal(2, pool.Active);
        Assert.Equal(1, pool.Queued);

        first.Dispose();
        using var lease = await third.WaitAsync(Guard);

        Assert.Equal(2, pool.Active);
        Assert.Equal(0, pool.Queued);
    }

    [Fact]
    public async Task Counters_FollowAcquireAndRelease()
    {
        using var pool = Create(maxConcurrency: 2);
        var a = await Acquire(pool).WaitAsync(Guard);
        Assert.Equal(1, pool.Active);
        var b = await Acquire(pool).WaitAsync(Guard);
        Assert.Equal(2, pool.Active);
        var c = Acquire(pool);
        var d = Acquire(pool);
        Assert.Equal(2, pool.Active);
        Assert.Equal(2, pool.Queued);

        a.Dispose();
        var leaseC = await c.WaitAsync(Guard);
        Assert.Equal(2, pool.Active);
        Assert.Equal(1, pool.Queued);

        b.Dispose();
        var leaseD = await d.WaitAsync(Guard);
        Assert.Equal(2, pool.Active);
        Assert.Equal(0, pool.Queued);

        leaseC.Dispose();
        leaseD.Dispose();
        Assert.Equal(0, pool.Active);
        Assert.Equal(0, pool.Queued);
    }

    [Fact]
    public async Task Dispose_Twice_ReleasesOnce()
    {
        using var pool = Create(maxConcurrency: 2);
        var first = await Acquire(pool).WaitAsync(Guard);
        var second = await Acquire(pool).WaitAsync(Guard);

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, pool.Active);
        var third = await Acquire(pool).WaitAsync(Guard);
        Assert.Equal(2, pool.Active);

        // A second release of the first lease would have left a free slot here.
        var fourth = Acquire(pool);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(1, pool.Queued);

        second.Dispose();
        (await fourth.WaitAsync(Guard)).Dispose();
        third.Dispose();
        Assert.Equal(0, pool.Active);
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_ThrowsSaturatedWithRetryAfterBetween1And60Seconds()
    {
        using var pool = Create(maxConcurrency: 1, maxQueueLength: 2);
        var held = await Acquire(pool).WaitAsync(Guard);
        var waiting = new[] { Acquire(pool), Acquire(pool) };
        Assert.Equal(2, pool.Queued);

        var failure = await Assert.ThrowsAsync<ChatFailure>(() => Acquire(pool).WaitAsync(Guard));

        AssertSaturated(failure);
        Assert.Equal(2, pool.Queued);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        held.Dispose();
        (await waiting[0].WaitAsync(Guard)).Dispose();
        (await waiting[1].WaitAsync(Guard)).Dispose();
        Assert.Equal(0, pool.Active);
        Assert.Equal(0, pool.Queued);
    }

    [Fact]
    public async Task AcquireAsync_QueueLengthZero_RejectsTheFirstWaiter()
    {
        using var pool = Create(maxConcurrency: 1, maxQueueLength: 0);
        using var held = await Acquire(pool).WaitAsync(Guard);

        var failure = await Assert.ThrowsAsync<ChatFailure>(() => Acquire(pool).WaitAsync(Guard));

        AssertSaturated(failure);
        Assert.Equal(0, pool.Queued);
    }

    [Fact]
    public async Task AcquireAsync_WaitLongerThanQueueTimeout_ThrowsSaturated()
    {
        using var pool = Create(maxConcurrency: 1, queueTimeoutSeconds: 0.05);
        using var held = await Acquire(pool).WaitAsync(Guard);

        var failure = await Assert.ThrowsAsync<ChatFailure>(() => Acquire(pool).WaitAsync(Guard));

        AssertSaturated(failure);
        Assert.Equal(0, pool.Queued);
        Assert.Equal(1, pool.Active);
    }

    [Fact]
    public async Task AcquireAsync_Admitted_BypassesTheQueueLengthLimit()
    {
        using var pool = Create(maxConcurrency: 1, maxQueueLength: 1);
        var held = await Acquire(pool).WaitAsync(Guard);
        var fresh = Acquire(pool);
        await Assert.ThrowsAsync<ChatFailure>(() => Acquire(pool).WaitAsync(Guard));

        var admitted = Acquire(pool, admitted: true);

        Assert.False(admitted.IsCompleted);
        Assert.Equal(2, pool.Queued);

        held.Dispose();
        (await fresh.WaitAsync(Guard)).Dispose();
        (await admitted.WaitAsync(Guard)).Dispose();
        Assert.Equal(0, pool.Active);
        Assert.Equal(0, pool.Queued);
    }

    [Fact]
    public async Task AcquireAsync_AdmittedWaiters_DoNotTakeUpThePlacesOfTheQueue()
    {
        using var pool = Create(maxConcurrency: 1, maxQueueLength: 1);
        var held = await Acquire(pool).WaitAsync(Guard);
        var admitted = Acquire(pool, admitted: true);

        var fresh = Acquire(pool);

        Assert.False(fresh.IsFaulted, "A fresh request was rejected because an admitted retry was waiting.");
        held.Dispose();
        (await admitted.WaitAsync(Guard)).Dispose();
        (await fresh.WaitAsync(Guard)).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_CancelledWaiter_LeavesTheQueue_AndThrowsOperationCanceledNotSaturated()
    {
        using var pool = Create(maxConcurrency: 1);
        var held = await Acquire(pool).WaitAsync(Guard);
        using var cts = new CancellationTokenSource();
        var waiter = Acquire(pool, cancellationToken: cts.Token);
        Assert.Equal(1, pool.Queued);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(Guard));

        Assert.Equal(0, pool.Queued);
        Assert.Equal(1, pool.Active);

        // The cancelled waiter took no slot with it.
        held.Dispose();
        var next = Acquire(pool);
        Assert.True(next.IsCompletedSuccessfully);
        (await next).Dispose();
        Assert.Equal(0, pool.Active);
    }

    [Fact]
    public async Task AcquireAsync_Waiters_AreServedInArrivalOrder()
    {
        using var pool = Create(maxConcurrency: 1);
        var current = await Acquire(pool).WaitAsync(Guard);
        var waiters = Enumerable.Range(0, 5).Select(_ => Acquire(pool)).ToList();
        Assert.Equal(5, pool.Queued);

        var order = new List<int>();
        var remaining = new List<Task<WorkerLease>>(waiters);
        while (remaining.Count > 0)
        {
            // One slot comes free at a time, so exactly one waiter can be served.
            current.Dispose();
            var served = await Task.WhenAny(remaining).WaitAsync(Guard);
            order.Add(waiters.IndexOf(served));
            remaining.Remove(served);
            current = await served;
        }

        current.Dispose();
        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.Equal(0, pool.Active);
        Assert.Equal(0, pool.Queued);
    }
}
