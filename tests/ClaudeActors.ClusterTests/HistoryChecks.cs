using System.Text;
using System.Text.Json;
using ClaudeActors.Testing.Cluster;
using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.ClusterTests;

/// <summary>
/// The checks that every conversation's history holds every turn exactly once, in order: at the fake upstream (the
/// history the CLI sent with the last turn) and in the journal (the recorded turns and their sequence numbers).
/// </summary>
internal static class HistoryChecks
{
    /// <summary>
    /// For each conversation, the last upstream call of its last turn carries turns 1..n-1 (user text and answer) and
    /// turn n's text, each exactly once and in order.
    /// </summary>
    public static void UpstreamHoldsEveryTurnOnce(FakeAnthropicServer upstream, IEnumerable<string> sessionIds, int turns)
    {
        var requests = upstream.MessageRequests;
        var problems = new StringBuilder();
        foreach (var id in sessionIds)
        {
            var expectedUsers = Enumerable.Range(1, turns).Select(turn => ConversationLoad.TextOf(id, turn)).ToList();
            var last = requests.LastOrDefault(request => request.LastUserText == expectedUsers[^1]);
            if (last is null)
            {
                problems.AppendLine($"{id}: the upstream never received its turn {turns}");
                continue;
            }

            var users = last.UserTexts.ToList();
            var answers = AssistantTexts(last);
            var expectedAnswers = expectedUsers.Take(turns - 1).Select(DistinctAnswers.To).ToList();
            if (!users.SequenceEqual(expectedUsers) || !answers.SequenceEqual(expectedAnswers))
            {
                problems.AppendLine($"{id}: the upstream saw users [{string.Join(" | ", users)}] answers [{string.Join(" | ", answers)}]");
            }
        }

        Assert.True(problems.Length == 0, "Histories at the upstream:\n" + problems);
    }

    /// <summary>
    /// For each conversation, the journal holds contiguous sequence numbers from 1 and exactly <paramref name="turns"/>
    /// recorded turns, numbered 1..n, all completed, turn k holding exactly turn k's text, and no text twice.
    /// </summary>
    public static void JournalHoldsEveryTurnOnce(IReadOnlyList<JournalEvent> events, IEnumerable<string> sessionIds, int turns)
    {
        var byConversation = events.Where(e => e.ConversationId is not null).GroupBy(e => e.ConversationId!).ToDictionary(g => g.Key, g => g.ToList());
        var problems = new StringBuilder();
        foreach (var id in sessionIds)
        {
            if (!byConversation.TryGetValue(id, out var rows))
            {
                problems.AppendLine($"{id}: no events in the journal");
                continue;
            }

            var sequence = rows.Select(r => r.SequenceNumber).ToList();
            if (!sequence.SequenceEqual(Enumerable.Range(1, rows.Count).Select(i => (long)i)))
            {
                problems.AppendLine($"{id}: sequence numbers [{string.Join(",", sequence)}]");
            }

            var recorded = rows.Where(r => r.Turn is not null).Select(r => r.Turn!.Value).ToList();
            var expected = Enumerable.Range(1, turns).Select(turn => ConversationLoad.TextOf(id, turn)).ToList();
            var ok = recorded.Count == turns
                && recorded.Select((turn, i) => turn.Sequence == i + 1 && turn.Status == "completed"
                    && turn.Request.Contains(expected[i], StringComparison.Ordinal)
                    && expected.Where((text, j) => j != i).All(other => !turn.Request.Contains(other, StringComparison.Ordinal))).All(x => x);
            if (!ok)
            {
                problems.AppendLine($"{id}: recorded turns {string.Join(" | ", recorded.Select(t => $"#{t.Sequence} {t.Status} {t.Request}"))}");
            }
        }

        Assert.True(problems.Length == 0, "Histories in the journal:\n" + problems);
    }

    /// <summary>
    /// For each of <paramref name="sessionIds"/>, each writer (one entity incarnation) wrote one unbroken run of
    /// sequence numbers: once a newer incarnation has written, an older one never writes again.
    /// </summary>
    public static void WritersDoNotInterleave(IReadOnlyList<JournalEvent> events, IEnumerable<string> sessionIds)
    {
        var problems = new StringBuilder();
        foreach (var id in sessionIds)
        {
            var writers = events.Where(e => e.ConversationId == id).OrderBy(e => e.SequenceNumber).Select(e => e.WriterUuid).ToList();
            var runs = writers.Where((writer, i) => i == 0 || writer != writers[i - 1]).ToList();
            if (runs.Count != runs.Distinct().Count())
            {
                problems.AppendLine($"{id}: writers by sequence number [{string.Join(", ", writers)}]");
            }
        }

        Assert.True(problems.Length == 0, "Interleaved writers in the journal:\n" + problems);
    }

    /// <summary>The text of each assistant message of an upstream request, in order.</summary>
    private static List<string> AssistantTexts(RecordedRequest request) =>
        [.. request.Messages
            .Where(message => message.TryGetProperty("role", out var role) && role.GetString() == "assistant")
            .Select(message => message.TryGetProperty("content", out var content) ? Text(content) : "")];

    private static string Text(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? "",
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(block => block.TryGetProperty("type", out var type) && type.GetString() == "text")
            .Select(block => block.GetProperty("text").GetString())),
        _ => "",
    };
}
