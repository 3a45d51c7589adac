using ClaudeActors.Conversations;

namespace ClaudeActors.UnitTests.Projections;

internal static class IndexSamples
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_760_000_000);

    public static ConversationRecord Record(string id, int createdSecond, string? hash = null, int lastUsedSecond = 0) => new()
    {
        Id = id,
        CliSessionId = "cli-" + id,
        Created = T0.AddSeconds(createdSecond),
        LastUsed = T0.AddSeconds(Math.Max(createdSecond, lastUsedSecond)),
        HistoryHash = hash,
    };

    public static ConversationStarted Started(string id, int createdSecond, string? hash = null) =>
        new(Record(id, createdSecond, hash), ["""{"big":"transcript"}"""], [], T0.AddSeconds(createdSecond));

    public static TurnRecorded Turn(int sequence, int atSecond, string? hash) => new(
        new TurnRecord { Sequence = sequence, RequestJson = "[]", Answer = "a", Status = "completed", Started = T0.AddSeconds(atSecond) },
        ["""{"entry":1}"""],
        hash,
        "model-x",
        T0.AddSeconds(atSecond));
}
