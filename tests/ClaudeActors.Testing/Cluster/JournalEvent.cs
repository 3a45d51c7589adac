using System.Text.Json;

namespace ClaudeActors.Testing.Cluster;

/// <summary>
/// One row of the Akka event journal: which conversation, its sequence number, the event type (our serializer's
/// manifest, e.g. <c>conv.turn-recorded</c>), the writing actor incarnation, the global order and the payload as JSON.
/// </summary>
public sealed record JournalEvent(
    string PersistenceId,
    long SequenceNumber,
    string Manifest,
    string? WriterUuid,
    long Ordering,
    JsonElement Payload)
{
    /// <summary>The conversation id of a conversation's event (persistence id <c>conversation-&lt;id&gt;</c>), else null.</summary>
    public string? ConversationId => PersistenceId.StartsWith("conversation-", StringComparison.Ordinal) ? PersistenceId["conversation-".Length..] : null;

    /// <summary>For a recorded turn: its number, the user's input (the JSON of its content blocks) and status.</summary>
    public (int Sequence, string Request, string Status)? Turn =>
        Manifest == "conv.turn-recorded" && Payload.TryGetProperty("turn", out var turn)
            ? (turn.GetProperty("sequence").GetInt32(), turn.GetProperty("requestJson").GetString() ?? "", turn.GetProperty("status").GetString() ?? "")
            : null;
}
