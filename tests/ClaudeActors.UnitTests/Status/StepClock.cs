namespace ClaudeActors.UnitTests.Status;

/// <summary>A clock whose wall time and timestamps move only when the test moves them.</summary>
internal sealed class StepClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero).UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
