using ClaudeActors.Chat;

namespace ClaudeActors.Telemetry;

/// <summary>What a turn's metrics are tagged with: conversation or stateless, and the model asked for.</summary>
internal sealed record TurnLabels(string Kind, string? Model)
{
    public static TurnLabels Conversation(string? model) => new("conversation", model);

    public static TurnLabels Stateless(string? model) => new("stateless", model);

    /// <summary>
    /// Whether an attempt that failed so failed at the CLI or upstream (counted in <c>claude_actors.upstream.errors</c>),
    /// not in the server itself (admission, journal, shutdown, the client's own request).
    /// </summary>
    public static bool IsUpstream(ChatFailureKind kind) => kind is not (
        ChatFailureKind.Saturated
        or ChatFailureKind.JournalUnavailable
        or ChatFailureKind.WorkspaceUnavailable
        or ChatFailureKind.CliUnavailable
        or ChatFailureKind.ShuttingDown
        or ChatFailureKind.NodeLeft
        or ChatFailureKind.IdempotencyKeyReused
        or ChatFailureKind.InvalidSchema
        or ChatFailureKind.PreviousResponseNotLatest
        or ChatFailureKind.Internal);
}
