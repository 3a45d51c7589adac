using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Chat;

/// <summary>What a running turn reports, in order: started, text deltas, completed (or a <see cref="ChatFailure"/>).</summary>
internal abstract record ChatEvent;

/// <summary>The CLI has started the turn with this model (a new attempt may report it again).</summary>
internal sealed record ChatStarted(string? Model) : ChatEvent;

/// <summary>A piece of the answer, as the model wrote it.</summary>
internal sealed record ChatTextDelta(string Text) : ChatEvent;

/// <summary>The turn ended well: its full text, why the model stopped, and the usage.</summary>
internal sealed record ChatCompleted(string Text, string? StopReason, CliUsage Usage, double? CostUsd) : ChatEvent;

/// <summary>
/// Sent first for a turn of a conversation: its id (a new one for a stateless history the server had not seen),
/// whether the request's system prompt was ignored because the conversation's was fixed before, and whether the
/// turn continues an existing conversation.
/// </summary>
internal sealed record ChatSessionInfo(string SessionId, bool SystemPromptIgnored, bool Continued) : ChatEvent;

/// <summary>
/// A turn failed, as an element of a stream (from a <c>CliWorker</c>): the stream completes after it, and the caller
/// turns it back into the <see cref="ChatFailure"/> it stands for (<see cref="ToException"/>).
/// </summary>
internal sealed record ChatFailed(ChatFailureKind Kind, string Message, bool IsTransient, TimeSpan? RetryAfter) : ChatEvent
{
    public static ChatFailed From(ChatFailure failure) => new(failure.Kind, failure.Message, failure.IsTransient, failure.RetryAfter);

    public ChatFailure ToException() => new(Kind, Message, IsTransient, RetryAfter);
}
