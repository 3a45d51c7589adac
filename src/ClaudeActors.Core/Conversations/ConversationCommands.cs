using ClaudeActors.Serialization;
using ClaudeActors.Sessions;

namespace ClaudeActors.Conversations;

/// <summary>
/// A message for one conversation's entity, routed by the shard region on <see cref="ConversationId"/>. Messages a
/// caller waits for carry a <see cref="IConversationRequest.Deadline"/>: past it the caller has given up, and the entity drops the message
/// instead of acting on it later (an ask that outlived its time-out must never run as a "zombie" turn).
/// </summary>
internal interface IConversationCommand : IClaudeActorsMessage
{
    string ConversationId { get; }
}

/// <summary>A command a caller waits for; dropped once <see cref="Deadline"/> has passed.</summary>
internal interface IConversationRequest : IConversationCommand
{
    DateTimeOffset Deadline { get; }
}

/// <summary>
/// Run a turn. The entity answers at once with <see cref="TurnAccepted"/> (the turn's event stream) or
/// <see cref="TurnNotContinued"/>; the turn itself runs when the turns before it have ended. With
/// <see cref="ExpectedHistoryHash"/> (a stateless resend) the turn runs only if the conversation's history is exactly
/// the one the client resent and no other resend is continuing it. <see cref="Trace"/> joins the turn's spans and log
/// lines to its request's, on whichever node the conversation runs.
/// </summary>
[MessageManifest("conv.start-turn")]
internal sealed record StartTurn(
    string ConversationId,
    SessionTurn Turn,
    bool Buffered,
    string Origin,
    string? ExpectedHistoryHash,
    DateTimeOffset Deadline,
    Telemetry.TurnTrace? Trace = null) : IConversationRequest;

/// <summary>The conversation's record, turns and process; with <see cref="IncludeTranscript"/> its transcript too (a fork).</summary>
[MessageManifest("conv.get")]
internal sealed record GetConversation(string ConversationId, bool IncludeTranscript, DateTimeOffset Deadline) : IConversationRequest;

/// <summary>
/// End the process and remove the conversation: its events, snapshots and CLI transcript file. Retention sets the
/// conditions (<see cref="Expiry"/>), which the entity checks when no turn runs; one that no longer holds is answered
/// false and the conversation stays.
/// </summary>
[MessageManifest("conv.delete")]
internal sealed record DeleteConversation(string ConversationId, DateTimeOffset Deadline) : IConversationRequest
{
    /// <summary>Delete only when the conversation is still expired by these limits; null deletes it anyway.</summary>
    public Retention.Expiry? Expiry { get; init; }
}

/// <summary>Forget a Responses API response of this conversation (answered with <see cref="ConversationDeleteResult"/>).</summary>
[MessageManifest("conv.delete-response")]
internal sealed record DeleteResponse(string ConversationId, string ResponseId, DateTimeOffset Deadline) : IConversationRequest;

/// <summary>Sent to the NEW conversation: start as a copy of <see cref="SourceId"/>'s history.</summary>
[MessageManifest("conv.fork")]
internal sealed record ForkConversation(string ConversationId, string SourceId, DateTimeOffset Deadline) : IConversationRequest;

/// <summary>From the warm-process cap: end the warm process if the conversation is idle (the conversation stays).</summary>
[MessageManifest("conv.release-process")]
internal sealed record ReleaseProcess(string ConversationId) : IConversationCommand;

/// <summary>
/// The shard's hand-off and passivation stop message: the entity ends its process gracefully, keeps the CLI's last
/// transcript entries, and stops. A turn that runs finishes first (the message is stashed until then).
/// </summary>
[MessageManifest("conv.stop")]
internal sealed record StopConversation : IClaudeActorsMessage
{
    public static readonly StopConversation Instance = new();
}

/// <summary>
/// From the one-time import of the old release's journal (<c>LegacyJournalImport</c>): start the conversation as it was
/// there, with its <see cref="Record"/> (every field as stored), its turns and its transcript entries in order, in one
/// <see cref="ConversationStarted"/> whose <c>At</c> is the record's <c>LastUsed</c>. The entity answers
/// <see cref="ImportResult"/>: false when the conversation exists already (the import ran before, perhaps halfway), and
/// then changes nothing.
/// </summary>
[MessageManifest("conv.import")]
internal sealed record ImportConversation(
    string ConversationId,
    ConversationRecord Record,
    IReadOnlyList<TurnRecord> Turns,
    IReadOnlyList<string> Transcript,
    DateTimeOffset Deadline) : IConversationRequest;
