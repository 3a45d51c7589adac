using ClaudeActors.Conversations;

namespace ClaudeActors.IntegrationTests.Persistence;

/// <summary>Conversation events for the tests.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000);

    public static ConversationRecord Record(string id, DateTimeOffset created, string? hash = null) => new()
    {
        Id = id,
        CliSessionId = Guid.NewGuid().ToString("D"),
        Model = "claude-sonnet-4-5",
        SystemPrompt = "Be brief.",
        Created = created,
        LastUsed = created,
        HistoryHash = hash,
    };

    public static ConversationStarted Started(string id, DateTimeOffset created, string? hash = null) =>
        new(Record(id, created, hash), new List<string> { """{"type":"user","uuid":"x"}""" }, new List<TurnRecord>(), created);

    public static TurnRecorded Turn(int sequence, DateTimeOffset at, string? hash) => new(
        new TurnRecord
        {
            Sequence = sequence,
            RequestJson = """[{"type":"text","text":"hi"}]""",
            Answer = "answer " + sequence,
            Status = "completed",
            StopReason = "end_turn",
            InputTokens = 10 * sequence,
            OutputTokens = 3,
            Started = at,
            DurationMs = 100,
        },
        new List<string> { """{"type":"assistant","uuid":"t""" + sequence + "\"}" },
        hash,
        null,
        at);
}
