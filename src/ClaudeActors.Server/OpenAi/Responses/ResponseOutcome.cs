using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Conversations;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// The answer a response shows, from the turn's <see cref="ChatCompleted"/> (as it ends) or from the turn the
/// conversation recorded (read later): both give the same Response object.
/// </summary>
internal sealed record ResponseOutcome(string Text, IReadOnlyList<ToolCallRecord> Calls, string? StopReason, CliUsage Usage, bool Interrupted = false)
{
    public static ResponseOutcome From(ChatCompleted completed) =>
        new(completed.Text, [.. completed.ToolCalls.Select(c => new ToolCallRecord(c.Id, c.Name, c.Arguments))], completed.StopReason, completed.Usage);

    public static ResponseOutcome From(TurnRecord turn) => new(
        turn.Answer,
        turn.ToolCalls,
        turn.StopReason,
        new CliUsage(turn.InputTokens, turn.OutputTokens, turn.CacheReadInputTokens, turn.CacheCreationInputTokens),
        turn.Status == "interrupted");

    /// <summary>Cut by <c>max_output_tokens</c> (or the context window): the response is <c>incomplete</c>.</summary>
    public bool CutShort => StopReason is "max_tokens" or "model_context_window_exceeded";

    /// <summary><c>completed</c>, <c>incomplete</c> or, for a turn whose client left, <c>cancelled</c>.</summary>
    public string Status => Interrupted ? "cancelled" : CutShort ? "incomplete" : "completed";

    /// <summary>Whether the answer has a message item: text, or no calls at all (an empty answer).</summary>
    public bool HasMessage => Text.Length > 0 || Calls.Count == 0;
}
