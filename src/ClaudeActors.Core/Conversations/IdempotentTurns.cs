using System.Security.Cryptography;
using System.Text;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Conversations;

/// <summary>
/// Turns sent with an idempotency key: a resend of a turn the conversation already completed is answered with the stored
/// turn (nothing runs, nothing is stored); the same key with another input is refused. Pure functions of the state.
/// </summary>
internal static class IdempotentTurns
{
    /// <summary>
    /// The answered turn recorded under the request's key (completed, or ended in tool calls), or null: no key, not
    /// recorded, or recorded only as interrupted or failed (then the turn runs again).
    /// </summary>
    public static TurnRecord? Recorded(ConversationState state, ChatTurnRequest request) =>
        request.IdempotencyKey is { } key
            ? state.Turns.LastOrDefault(t => t.IdempotencyKey == key && t.Status is "completed" or "tool_calls")
            : null;

    /// <summary>
    /// A fingerprint of the request's new input (SHA-256 of its stream-json content, and of the tool results a
    /// continuation brings); null without a key.
    /// </summary>
    public static string? Fingerprint(ChatTurnRequest request)
    {
        if (request.IdempotencyKey is null)
        {
            return null;
        }

        var input = StreamJsonWriter.Content(request.Prompt);
        if (request.ToolResults.Count > 0)
        {
            input += string.Concat(request.ToolResults.Select(r => $"\n{r.ToolCallId.Length}:{r.ToolCallId}{r.Content}"));
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(input)));
    }

    /// <summary>The stored turn as a turn's stream, or the refusal when the key was used for another input.</summary>
    public static IEnumerable<ChatEvent> Replay(string conversationId, bool systemPromptIgnored, TurnRecord stored, ChatTurnRequest request)
    {
        if (stored.InputFingerprint != Fingerprint(request))
        {
            yield return new ChatFailed(
                ChatFailureKind.IdempotencyKeyReused,
                $"The Idempotency-Key was already used for turn {stored.Sequence} of this conversation with another input. Use a new key for a new turn.",
                false,
                null);
            yield break;
        }

        yield return new ChatSessionInfo(conversationId, systemPromptIgnored, Continued: true, Replayed: true);
        if (stored.Answer.Length > 0)
        {
            yield return new ChatTextDelta(stored.Answer);
        }

        var calls = stored.ToolCalls.Select((c, i) => new ChatToolCall(i, c.Id, c.Name, c.Arguments)).ToList();
        foreach (var call in calls)
        {
            yield return new ChatToolCallDelta(call.Index, call.Id, call.Name, call.Arguments);
        }

        yield return new ChatCompleted(
            stored.Answer,
            stored.StopReason,
            new CliUsage(stored.InputTokens, stored.OutputTokens, stored.CacheReadInputTokens, stored.CacheCreationInputTokens),
            null)
        {
            ToolCalls = [.. calls],
        };
    }
}
