using System.Collections.Immutable;
using ClaudeActors.Serialization;

namespace ClaudeActors.Conversations;

/// <summary>
/// A conversation as its events make it: the record (null while the conversation does not exist), its turns and the
/// CLI transcript entries, in order. Immutable; <see cref="Apply"/> is the pure fold of one event. It is also the
/// entity's snapshot.
/// </summary>
[MessageManifest("conv.state")]
internal sealed record ConversationState : IClaudeActorsMessage
{
    public static readonly ConversationState Empty = new();

    /// <summary>The record, or null when the conversation does not exist (never started, or deleted).</summary>
    public ConversationRecord? Record { get; init; }

    public ImmutableList<TurnRecord> Turns { get; init; } = [];

    /// <summary>The CLI transcript entries (one JSON object each), as a process resuming the conversation needs them.</summary>
    public ImmutableList<string> Transcript { get; init; } = [];

    public bool Exists => Record is not null;

    public ConversationState Apply(IConversationEvent @event) => @event switch
    {
        ConversationStarted started => new ConversationState
        {
            Record = started.Record with { Turns = started.Turns.Count, LastUsed = started.At },
            Turns = [.. started.Turns],
            Transcript = [.. started.Transcript],
        },
        TurnRecorded turn when Record is not null => this with
        {
            Record = Record with
            {
                Turns = turn.Turn.Sequence,
                LastUsed = turn.At,
                HistoryHash = turn.HistoryHash,
                Model = turn.Model ?? Record.Model,
                State = ConversationStatus.Warm,
                PendingToolCalls = [.. turn.Turn.ToolCalls.Select(c => c.Id)],
            },
            Turns = Turns.Add(turn.Turn),
            Transcript = Transcript.AddRange(turn.Transcript),
        },
        TranscriptAppended appended when Record is not null => this with { Transcript = Transcript.AddRange(appended.Entries) },
        ConversationPassivated when Record is not null => this with { Record = Record with { State = ConversationStatus.Passivated } },
        ResponseDeleted deleted when Record is not null => this with
        {
            Turns = [.. Turns.Select(t => t.ResponseId == deleted.ResponseId ? t with { ResponseId = null, ResponseEnvelope = null } : t)],
        },
        ConversationDeleted => Empty,
        _ => this,
    };
}
