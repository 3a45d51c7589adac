namespace ClaudeActors.Bench.Measurement;

/// <summary>
/// One measured request: time to the first token and to the end, both from the moment it was sent.
/// <see cref="Error"/> is set when the request failed; its times are then not used in the statistics.
/// </summary>
internal readonly record struct Sample(TimeSpan TimeToFirstToken, TimeSpan Total, string? Error)
{
    public bool Succeeded => Error is null;

    public static Sample Ok(TimeSpan timeToFirstToken, TimeSpan total) => new(timeToFirstToken, total, null);

    public static Sample Failed(TimeSpan elapsed, string error) => new(elapsed, elapsed, error);
}
