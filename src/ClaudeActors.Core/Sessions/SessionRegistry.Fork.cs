using ClaudeActors.Conversations;
using System.Text.Json.Nodes;
using ClaudeActors.Journal;

namespace ClaudeActors.Sessions;

internal sealed partial class SessionRegistry
{
    /// <summary>
    /// A new conversation with the same history as <paramref name="sourceId"/>: its record, turns and transcript are
    /// copied (the transcript's entries re-labelled with the new CLI session id). Null when the source does not
    /// exist; throws <see cref="InvalidOperationException"/> when <paramref name="newId"/> is taken.
    /// </summary>
    public async Task<ConversationRecord?> ForkAsync(string sourceId, string? newId, CancellationToken cancellationToken)
    {
        var source = await services.Journal.GetAsync(sourceId, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return null;
        }

        var id = newId ?? Guid.NewGuid().ToString("D");
        var cliSessionId = ConversationIds.NewCliSessionId();
        var transcript = (await services.Journal.ReadTranscriptAsync(sourceId, cancellationToken).ConfigureAwait(false))
            .Select(entry => Relabel(entry, cliSessionId))
            .ToList();
        var turns = await services.Journal.ReadTurnsAsync(sourceId, cancellationToken).ConfigureAwait(false);
        var now = services.Time.GetUtcNow();
        var fork = source with
        {
            Id = id,
            CliSessionId = cliSessionId,
            Created = now,
            LastUsed = now,
            State = ConversationStatus.Idle,
            Origin = "fork",
            ForkedFrom = sourceId,
            HistoryHash = null,
        };
        if (Find(id) is not null || !await services.Journal.CreateAsync(fork, transcript, turns, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The session '{id}' exists already.");
        }

        return fork;
    }

    private static string Relabel(string entry, string cliSessionId)
    {
        if (JsonNode.Parse(entry) is JsonObject node && node["sessionId"] is JsonValue)
        {
            node["sessionId"] = cliSessionId;
            return node.ToJsonString();
        }

        return entry;
    }
}
