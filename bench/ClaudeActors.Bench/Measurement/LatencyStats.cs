namespace ClaudeActors.Bench.Measurement;

/// <summary>
/// Percentiles of a set of durations. A percentile is interpolated linearly between the two nearest ranks
/// (rank = p * (n - 1) over the sorted values), as numpy and Excel's PERCENTILE.INC do.
/// </summary>
internal sealed class LatencyStats
{
    private readonly TimeSpan[] _sorted;

    private LatencyStats(TimeSpan[] sorted) => _sorted = sorted;

    public int Count => _sorted.Length;

    public TimeSpan P50 => Percentile(0.50);

    public TimeSpan P95 => Percentile(0.95);

    public TimeSpan Min => Count == 0 ? TimeSpan.Zero : _sorted[0];

    public TimeSpan Max => Count == 0 ? TimeSpan.Zero : _sorted[^1];

    public static LatencyStats From(IEnumerable<TimeSpan> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new LatencyStats(sorted);
    }

    /// <summary>The <paramref name="p"/>-quantile (0..1); zero when there are no values.</summary>
    public TimeSpan Percentile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = p * (Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        var fraction = rank - lower;
        return _sorted[lower] + ((_sorted[upper] - _sorted[lower]) * fraction);
    }
}
