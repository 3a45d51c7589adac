namespace ClaudeActors.Bench.Measurement;

/// <summary>The samples of one (path, concurrency) cell and the wall time the whole cell took.</summary>
internal sealed class CellResult(string path, int concurrency, IReadOnlyList<Sample> samples, TimeSpan wall)
{
    public string Path { get; } = path;

    public int Concurrency { get; } = concurrency;

    public IReadOnlyList<Sample> Samples { get; } = samples;

    public TimeSpan Wall { get; } = wall;

    public int Failures => Samples.Count(sample => !sample.Succeeded);

    public LatencyStats TimeToFirstToken { get; } = LatencyStats.From(samples.Where(s => s.Succeeded).Select(s => s.TimeToFirstToken));

    public LatencyStats Total { get; } = LatencyStats.From(samples.Where(s => s.Succeeded).Select(s => s.Total));

    /// <summary>Successful requests per second of wall time, from the first send to the last answer.</summary>
    public double RequestsPerSecond => Wall > TimeSpan.Zero ? Total.Count / Wall.TotalSeconds : 0;
}
