using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Overhead;

/// <summary>The turns of one (path, concurrency) cell, with the wall time and the bytes allocated while they ran.</summary>
internal sealed class OverheadCell(string path, int concurrency, int deltas, IReadOnlyList<OverheadSample> samples, TimeSpan wall, long allocated)
{
    public string Path { get; } = path;

    public int Concurrency { get; } = concurrency;

    public IReadOnlyList<OverheadSample> Samples { get; } = samples;

    public TimeSpan Wall { get; } = wall;

    public int Failures => Samples.Count(sample => !sample.Succeeded);

    /// <summary>Request to first delta, per turn.</summary>
    public LatencyStats FirstDelta { get; } = LatencyStats.From(samples.Where(s => s.Succeeded).Select(s => s.FirstDelta));

    /// <summary>Request to the end of the stream, per turn.</summary>
    public LatencyStats Total { get; } = LatencyStats.From(samples.Where(s => s.Succeeded).Select(s => s.Total));

    /// <summary>
    /// Per delta: a turn's whole time divided by its deltas. A percentile of that is the same percentile of the whole
    /// time, divided (so it keeps the timer's resolution).
    /// </summary>
    public double PerDeltaMicroseconds(double percentile) => Total.Percentile(percentile).TotalMicroseconds / deltas;

    public double PerDeltaMeanMicroseconds { get; } = samples.Any(s => s.Succeeded)
        ? samples.Where(s => s.Succeeded).Average(s => s.Total.TotalMicroseconds) / deltas
        : 0;

    /// <summary>Successful turns per second of wall time.</summary>
    public double TurnsPerSecond => Wall > TimeSpan.Zero ? FirstDelta.Count / Wall.TotalSeconds : 0;

    /// <summary>Bytes allocated in the whole process per turn (both ends and the actor system; the bench's own bookkeeping is tiny).</summary>
    public double AllocatedPerTurn => Samples.Count > 0 ? (double)allocated / Samples.Count : 0;
}
