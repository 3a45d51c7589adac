using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>Asks an <see cref="OverheadTurnActor"/> for a turn; the answer is the turn's <c>ISourceRef&lt;ChatEvent&gt;</c>.</summary>
internal sealed record StartOverheadTurn(IReadOnlyList<ChatEvent> Deltas);
