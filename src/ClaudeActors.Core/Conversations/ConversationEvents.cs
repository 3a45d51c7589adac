using ClaudeActors.Serialization;

namespace ClaudeActors.Conversations;

/// <summary>
/// What happened to a conversation, as its entity persists it (Akka.Persistence, one persistence id per
/// conversation). The events hold all a conversation is: its record, its turns and the CLI's transcript entries, so a
/// conversation is restored from them on any node. Events that change what the Session API lists are tagged
/// <see cref="ConversationTags.Index"/> for the <c>ConversationIndex</c> projection.
/// </summary>
internal interface IConversationEvent : IClaudeActorsMessage
{
    /// <summary>When it happened.</summary>
    DateTimeOffset At { get; }
}

/// <summary>
/// A conversation began: its record, and, for a stateless history or a fork, the transcript entries and turns it
/// starts with (empty for a conversation that starts with its first turn).
/// </summary>
[MessageManifest("conv.started")]
internal sealed record ConversationStarted(
    ConversationRecord Record,
    IReadOnlyList<string> Transcript,
    IReadOnlyList<TurnRecord> Turns,
    DateTimeOffset At) : IConversationEvent;

/// <summary>
/// A turn ended and is part of the conversation now (completed or interrupted): the turn, the transcript entries the
/// CLI mirrored during it, and the record's fields the turn changed.
/// </summary>
[MessageManifest("conv.turn-recorded")]
internal sealed record TurnRecorded(
    TurnRecord Turn,
    IReadOnlyList<string> Transcript,
    string? HistoryHash,
    string? Model,
    DateTimeOffset At) : IConversationEvent;

/// <summary>Transcript entries the CLI wrote outside a turn (some arrive after a turn's result, or at exit).</summary>
[MessageManifest("conv.transcript-appended")]
internal sealed record TranscriptAppended(IReadOnlyList<string> Entries, DateTimeOffset At) : IConversationEvent;

/// <summary>The conversation's warm process was ended (idle, the warm-process cap, shutdown); its history stays.</summary>
[MessageManifest("conv.passivated")]
internal sealed record ConversationPassivated(DateTimeOffset At) : IConversationEvent;

/// <summary>The conversation was deleted; what came before is gone, and the id may start a new conversation.</summary>
[MessageManifest("conv.deleted")]
internal sealed record ConversationDeleted(DateTimeOffset At) : IConversationEvent;

/// <summary>
/// A Responses API response was deleted: its turn stays in the conversation (the model's history cannot lose it), but
/// the response can no longer be read or continued.
/// </summary>
[MessageManifest("conv.response-deleted")]
internal sealed record ResponseDeleted(string ResponseId, DateTimeOffset At) : IConversationEvent;
