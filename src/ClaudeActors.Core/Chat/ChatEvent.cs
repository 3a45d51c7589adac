using ClaudeActors.Cli.Protocol;
using ClaudeActors.Serialization;

namespace ClaudeActors.Chat;

/// <summary>
/// What a running turn reports, in order: started, text deltas, completed (or a <see cref="ChatFailure"/>). The elements
/// of a turn's stream, which may come from another node: each kind has its own manifest.
/// </summary>
internal abstract record ChatEvent : IClaudeActorsMessage;

/// <summary>The CLI has started the turn with this model (a new attempt may report it again).</summary>
[MessageManifest("chat.started")]
internal sealed record ChatStarted(string? Model) : ChatEvent;

/// <summary>
/// The requested model was overloaded or unavailable: the answer from here on comes from <see cref="Model"/>, the
/// configured fallback model (the CLI's <c>model_fallback</c>). Not a new attempt: text already read stays.
/// </summary>
[MessageManifest("chat.model-fallback")]
internal sealed record ChatModelFallback(string Model, string? OriginalModel) : ChatEvent;

/// <summary>A piece of the answer, as the model wrote it.</summary>
[MessageManifest("chat.text-delta")]
internal sealed record ChatTextDelta(string Text) : ChatEvent;

/// <summary>
/// The turn ended well: its full text, why the model stopped, the usage, and this turn's own cost in USD (the CLI's
/// running total less its previous one, <c>ClaudeProcess.TurnCostUsd</c>). When the model called the client's
/// functions, <see cref="ToolCalls"/> holds the calls and <see cref="ChatEvent"/>s of the next request continue the turn.
/// </summary>
[MessageManifest("chat.completed")]
internal sealed record ChatCompleted(string Text, string? StopReason, CliUsage Usage, double? CostUsd) : ChatEvent
{
    /// <summary>The stop reason of an answer that ends in calls of the client's functions.</summary>
    public const string ToolUse = "tool_use";

    public ValueList<ChatToolCall> ToolCalls { get; init; } = [];
}

/// <summary>One call of a client function: the call's id, the client's function name and the arguments as JSON text.</summary>
internal sealed record ChatToolCall(int Index, string Id, string Name, string Arguments);

/// <summary>
/// A piece of a tool call as the model writes it: first with <see cref="Id"/> and <see cref="Name"/>, then fragments of
/// its arguments. <see cref="Index"/> counts the calls of the answer from 0.
/// </summary>
[MessageManifest("chat.tool-call-delta")]
internal sealed record ChatToolCallDelta(int Index, string? Id, string? Name, string Arguments) : ChatEvent;

/// <summary>
/// Sent first for a turn of a conversation: its id (a new one for a stateless history the server had not seen),
/// whether the request's system prompt was ignored because the conversation's was fixed before, and whether the
/// turn continues an existing conversation.
/// </summary>
[MessageManifest("chat.session-info")]
internal sealed record ChatSessionInfo(string SessionId, bool SystemPromptIgnored, bool Continued, bool Replayed = false) : ChatEvent;

/// <summary>
/// The turn failed: a <see cref="ChatFailure"/> as data, so it can travel in a stream (or to another node) and be
/// thrown again by the reader (<see cref="ToException"/>). Always the last element of a turn's stream.
/// </summary>
[MessageManifest("chat.failed")]
internal sealed record ChatFailed(ChatFailureKind Kind, string Message, bool IsTransient, TimeSpan? RetryAfter) : ChatEvent
{
    public static ChatFailed From(ChatFailure failure) => new(failure.Kind, failure.Message, failure.IsTransient, failure.RetryAfter);

    public ChatFailure ToException() => new(Kind, Message, IsTransient, RetryAfter);
}

/// <summary>
/// The subscription's rate-limit state as the CLI reported it during the turn (<c>rate_limit_event</c>): the HTTP layer
/// turns it into response headers and keeps the latest; it is no part of the answer.
/// </summary>
[MessageManifest("chat.rate-limit")]
internal sealed record ChatRateLimit(string Status, long? ResetsAt, string? Window, double? Utilization) : ChatEvent;
