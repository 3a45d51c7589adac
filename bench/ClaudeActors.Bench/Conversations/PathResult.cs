using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Conversations;

/// <summary>Every measured turn of one path, with the process checks and the wall time of all its conversations.</summary>
internal sealed class PathResult(string name, int concurrency, IReadOnlyList<TurnSample> turns, IReadOnlyList<ProcessCheck> checks, TimeSpan wall)
{
    public string Name { get; } = name;

    public IReadOnlyList<TurnSample> Turns { get; } = turns;

    /// <summary>One per conversation on paths the server keeps; empty on the others.</summary>
    public IReadOnlyList<ProcessCheck> Checks { get; } = checks;

    public TimeSpan Wall { get; } = wall;

    /// <summary>The first turn of every conversation: a new CLI process on every path.</summary>
    public CellResult FirstTurn { get; } = Cell(name, concurrency, turns.Where(t => t.Turn == 1), wall);

    /// <summary>Turns 2 and later: a warm process (by id, resend) or a fresh one with the history (the other paths).</summary>
    public CellResult LaterTurns { get; } = Cell(name, concurrency, turns.Where(t => t.Turn > 1), wall);

    public int Failures => FirstTurn.Failures + LaterTurns.Failures;

    public bool ChecksPassed => Checks.All(check => check.OneWarmProcess);

    private static CellResult Cell(string name, int concurrency, IEnumerable<TurnSample> turns, TimeSpan wall) =>
        new(name, concurrency, [.. turns.Select(t => t.Sample)], wall);
}
