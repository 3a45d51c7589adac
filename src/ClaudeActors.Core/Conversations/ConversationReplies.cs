using Akka.Streams;
using ClaudeActors.Chat;
using ClaudeActors.Serialization;

namespace ClaudeActors.Conversations;

/// <summary>
/// The turn is taken: its events (a <see cref="ChatSessionInfo"/> first) arrive on <see cref="Events"/>. The stream
/// ref inside is written by Akka.Streams' own serializer (<see cref="AkkaSerializedConverterFactory"/>), so the turn's
/// events can stream to a caller on another node. <see cref="Node"/> is the address of the node that runs the turn, so a
/// reader elsewhere stops waiting if that node leaves the cluster.
/// </summary>
[MessageManifest("conv.turn-accepted")]
internal sealed record TurnAccepted(ISourceRef<ChatEvent> Events, string? Node = null) : IClaudeActorsMessage;

/// <summary>A stateless resend does not continue this conversation (another history, or another resend has it).</summary>
[MessageManifest("conv.turn-not-continued")]
internal sealed record TurnNotContinued : IClaudeActorsMessage
{
    public static readonly TurnNotContinued Instance = new();
}

/// <summary>
/// The last element of a turn's stream when the entity stopped before the turn began (it was passivated or handed
/// over meanwhile): nothing ran, and the caller sends the turn again, to the conversation's next incarnation.
/// </summary>
[MessageManifest("conv.turn-bounced")]
internal sealed record TurnBounced : ChatEvent
{
    public static readonly TurnBounced Instance = new();
}

/// <summary>The conversation's CLI process on its node.</summary>
[MessageManifest("conv.process-info")]
internal sealed record ProcessInfo(bool Warm, int? ProcessId, int Starts) : IClaudeActorsMessage
{
    public static readonly ProcessInfo None = new(false, null, 0);
}

/// <summary>
/// A conversation as the entity sees it; <see cref="Record"/> is null when it does not exist. <see cref="WaitingTurns"/>
/// counts the turns that wait behind the running one.
/// </summary>
[MessageManifest("conv.view")]
internal sealed record ConversationView(
    ConversationRecord? Record,
    IReadOnlyList<TurnRecord> Turns,
    IReadOnlyList<string>? Transcript,
    ProcessInfo Process,
    int WaitingTurns) : IClaudeActorsMessage;

/// <summary>The answer to a delete: whether there was a conversation.</summary>
[MessageManifest("conv.delete-result")]
internal sealed record ConversationDeleteResult(bool Existed) : IClaudeActorsMessage;

/// <summary>How a fork went: the new record, or why there is none.</summary>
[MessageManifest("conv.fork-result")]
internal sealed record ForkResult(ForkOutcome Outcome, ConversationRecord? Record) : IClaudeActorsMessage;

internal enum ForkOutcome
{
    Created,
    SourceMissing,
    Exists,
}

/// <summary>A request the entity could not serve (the journal failed): the failure as data.</summary>
[MessageManifest("conv.failed")]
internal sealed record ConversationFailed(ChatFailed Failure) : IClaudeActorsMessage;

/// <summary>The answer to an import: false when the conversation existed already (an import runs at most once).</summary>
[MessageManifest("conv.import-result")]
internal sealed record ImportResult(bool Imported) : IClaudeActorsMessage;

/// <summary>
/// Published on the node's event stream after every persisted change of a conversation, for the conversation index
/// (which also follows the journal's tagged events; this makes the local index current at once).
/// <see cref="Record"/> is null when the conversation was deleted.
/// </summary>
[MessageManifest("conv.changed")]
internal sealed record ConversationChanged(string ConversationId, long SequenceNr, ConversationRecord? Record) : IClaudeActorsMessage;
