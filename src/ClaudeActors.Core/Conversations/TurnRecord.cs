using ClaudeActors.Serialization;

namespace ClaudeActors.Conversations;

/// <summary>One turn of a conversation: what came in, what went out, what it cost and how long it took.</summary>
internal sealed record TurnRecord
{
    /// <summary>1 for the first turn.</summary>
    public required int Sequence { get; init; }

    /// <summary>The new user input, as a JSON array of content blocks.</summary>
    public required string RequestJson { get; init; }

    /// <summary>The answer's text as the CLI produced it (before stop sequences were applied for the client).</summary>
    public required string Answer { get; init; }

    /// <summary>completed, interrupted or failed.</summary>
    public required string Status { get; init; }

    public string? StopReason { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long CacheReadInputTokens { get; init; }

    public long CacheCreationInputTokens { get; init; }

    public required DateTimeOffset Started { get; init; }

    public long DurationMs { get; init; }

    /// <summary>The client's idempotency key for this turn, or null.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>A fingerprint of the turn's new input, to tell a resend from a key reused for another prompt; null without a key.</summary>
    public string? InputFingerprint { get; init; }

    /// <summary>
    /// The client's function calls this turn's answer ended with (status <c>tool_calls</c>); the conversation waits on
    /// them until a request brings their results. Empty for an answer without calls.
    /// </summary>
    public ValueList<ToolCallRecord> ToolCalls { get; init; } = [];

    /// <summary>The Responses API response this turn answered (see <c>ChatTurnRequest.ResponseId</c>); null otherwise or once deleted.</summary>
    public string? ResponseId { get; init; }

    /// <summary>The Responses API request's settings and input items (JSON), kept with <see cref="ResponseId"/>.</summary>
    public string? ResponseEnvelope { get; init; }
}
