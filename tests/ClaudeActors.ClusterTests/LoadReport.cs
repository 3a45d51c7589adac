using System.Text.RegularExpressions;
using ClaudeActors.Testing.Cluster;
using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.ClusterTests;

/// <summary>What a load run went through, for the test output, and which node served which conversation.</summary>
internal static partial class LoadReport
{
    public static string Summary(ConversationLoad load)
    {
        var outcomes = load.Outcomes;
        var retried = outcomes.Where(o => o.Failures.Count > 0).ToList();
        var lines = retried.Take(40).Select(o => $"  {o.SessionId} turn {o.Turn}: {o.Requests} requests, recorded answer read: {o.FoundRecorded}; {string.Join(" | ", o.Failures)}");
        return $"{outcomes.Count} turns completed; {retried.Count} met a failure ({retried.Count(o => o.FoundRecorded)} found recorded, " +
            $"{retried.Count(o => !o.FoundRecorded)} sent again)\n" + string.Join('\n', lines);
    }

    /// <summary>The session ids whose turns the node with <paramref name="apiKey"/> sent upstream among <paramref name="requests"/>.</summary>
    public static HashSet<string> ConversationsServedBy(IEnumerable<RecordedRequest> requests, string apiKey) =>
        [.. requests.Where(r => r.Header("x-api-key") == apiKey && r.LastUserText is not null)
            .Select(r => TurnText().Match(r.LastUserText!))
            .Where(m => m.Success)
            .Select(m => m.Groups["id"].Value)];

    /// <summary>The conversation and turn number of a load's upstream request, or null for another request.</summary>
    public static (string SessionId, int Turn)? TurnOf(RecordedRequest request) =>
        request.LastUserText is { } text && TurnText().Match(text) is { Success: true } match
            ? (match.Groups["id"].Value, int.Parse(match.Groups["turn"].Value, System.Globalization.CultureInfo.InvariantCulture))
            : null;

    [GeneratedRegex(@"^Message (?<turn>\d+) of (?<id>.+)\.$")]
    private static partial Regex TurnText();
}
