using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// One more turn sent to a few open conversations, one after the other: its times, and each conversation's process as
/// the Session API showed it just before and just after the turn.
/// </summary>
internal sealed class FollowUp(string kind, IReadOnlyList<Sample> samples, IReadOnlyList<SessionProcessInfo?> before, IReadOnlyList<SessionProcessInfo?> after)
{
    public string Kind { get; } = kind;

    public CellResult Cell { get; } = new(kind, 1, samples, TimeSpan.Zero);

    public IReadOnlyList<SessionProcessInfo?> Before { get; } = before;

    public IReadOnlyList<SessionProcessInfo?> After { get; } = after;

    /// <summary>How many had a warm process before the turn, e.g. <c>0/10</c>.</summary>
    public string WarmBefore => $"{Before.Count(p => p?.Warm == true)}/{Before.Count}";

    /// <summary><c>process.starts</c> after the turn, grouped, e.g. <c>2 ×10</c>.</summary>
    public string StartsAfter => string.Join(", ", After
        .GroupBy(p => p?.Starts.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key} ×{g.Count()}"));
}
