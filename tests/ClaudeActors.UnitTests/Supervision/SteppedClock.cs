namespace ClaudeActors.UnitTests.Supervision;

/// <summary>
/// A clock that moves only when told (<see cref="Advance"/>) or when something waits on it: a timer moves the clock by
/// its due time and fires at once, so a back-off of minutes passes in no real time and shows in <see cref="Waited"/>.
/// </summary>
internal sealed class SteppedClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _waited = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The due times of the timers created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Waited
    {
        get
        {
            lock (_lock)
            {
                return [.. _waited];
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_lock)
            {
                _waited.Add(dueTime);
                _now += dueTime;
            }
        }

        return System.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.Zero, period);
    }
}
