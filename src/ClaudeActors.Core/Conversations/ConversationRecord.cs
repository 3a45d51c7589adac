using ClaudeActors.Serialization;

namespace ClaudeActors.Conversations;

/// <summary>What the journal keeps about one conversation.</summary>
internal sealed record ConversationRecord
{
    /// <summary>The id clients use (any string up to <see cref="ConversationIds.MaxLength"/> characters).</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The tenant (API key) that created the conversation; null in conversations stored before keys existed, which
    /// belong to the default tenant. The entity id holds it too (<see cref="Tenants.ConversationKey"/>).
    /// </summary>
    public string? Tenant { get; init; }

    /// <summary>The UUID the CLI knows the conversation by (its transcript file name).</summary>
    public required string CliSessionId { get; init; }

    /// <summary>The CLI model the conversation runs with (null: the account default).</summary>
    public string? Model { get; init; }

    /// <summary>The system prompt fixed when the conversation started, or null.</summary>
    public string? SystemPrompt { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset LastUsed { get; init; }

    /// <summary>Turns recorded so far.</summary>
    public int Turns { get; init; }

    public ConversationStatus State { get; init; } = ConversationStatus.Idle;

    /// <summary>
    /// The hash of the whole history as a stateless client would resend it (system prompt, every message and the
    /// last answer); null when the conversation cannot be continued by a resend (for example after an interrupted turn).
    /// </summary>
    public string? HistoryHash { get; init; }

    /// <summary>How the conversation began: <c>client</c> (a client's id), <c>auto</c> (a stateless history) or <c>fork</c>.</summary>
    public string Origin { get; init; } = "client";

    /// <summary>The tool calls the conversation waits on: those of its last turn, when it ended with calls.</summary>
    public ValueList<string> PendingToolCalls { get; init; } = [];

    /// <summary>The conversation this one was forked from, or null.</summary>
    public string? ForkedFrom { get; init; }
}
