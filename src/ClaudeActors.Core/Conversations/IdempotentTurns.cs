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
    /// <summary>The completed turn recorded under the request's key, or null (no key, or not recorded, or not completed).</summary>
    public static TurnRecord? Recorded(ConversationState state, ChatTurnRequest request) =>
        request.IdempotencyKey is { } key
            ? state.Turns.LastOrDefault(t => t.IdempotencyKey == key && t.Status == "completed")
            : null;

    /// <summary>A fingerprint of the request's new input (SHA-256 of its stream-json content); null without a key.</summary>
    public static string? Fingerprint(ChatTurnRequest request) =>
        request.IdempotencyKey is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(StreamJsonWriter.Content(request.Prompt))));

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
        yield return new ChatTextDelta(stored.Answer);
        yield return new ChatCompleted(
            stored.Answer,
            stored.StopReason,
            new CliUsage(stored.InputTokens, stored.OutputTokens, stored.CacheReadInputTokens, stored.CacheCreationInputTokens),
            null);
    }
}
