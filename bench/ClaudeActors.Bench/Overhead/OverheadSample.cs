namespace ClaudeActors.Bench.Overhead;

/// <summary>
/// One measured turn: from the caller's request to its first delta, and to the end of its stream.
/// <see cref="Error"/> is set when the turn failed (an error, or not every delta in order); its times are then not used.
/// </summary>
internal readonly record struct OverheadSample(TimeSpan FirstDelta, TimeSpan Total, string? Error)
{
    public bool Succeeded => Error is null;

    public static OverheadSample Failed(string error) => new(TimeSpan.Zero, TimeSpan.Zero, error);
}
