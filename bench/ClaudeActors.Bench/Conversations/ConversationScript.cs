using System.Globalization;
using System.Text.RegularExpressions;
using ClaudeActors.Bench.Chat;
using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// What is said in a benchmark conversation: each question names its conversation and turn, and the fake upstream
/// answers the last question it finds in the newest user message with a text that names them too. So every answer
/// proves which turn of which conversation the CLI was asked about, on every path (the seeds paste the whole history
/// into one message, whose last question is the new one).
/// </summary>
internal static partial class ConversationScript
{
    public static string Question(string conversation, int turn) =>
        $"Conversation {conversation}, turn {turn.ToString(CultureInfo.InvariantCulture)}: in two sentences, why does a fox cross the road at night?";

    /// <summary>About 290 characters: a short prefix and the one-turn answer of <see cref="ChatWorkload"/>.</summary>
    public static string Answer(string conversation, int turn) =>
        $"Turn {turn.ToString(CultureInfo.InvariantCulture)} of conversation {conversation}. {ChatWorkload.Answer}";

    /// <summary>Whether a path returned this turn's answer (the CLI may trim white space at the ends).</summary>
    public static bool IsExpected(string conversation, int turn, string text) =>
        string.Equals(text.Trim(), Answer(conversation, turn), StringComparison.Ordinal);

    /// <summary>The fake upstream's reply to a Messages request: the answer to its last question, streamed like the chat scenario's.</summary>
    public static Func<RecordedRequest, FakeReply?> Responder(ChatWorkload workload) => request =>
    {
        if (request.LastUserText is not { } text || QuestionPattern().Matches(text) is not { Count: > 0 } matches)
        {
            return null;
        }

        var last = matches[^1];
        var answer = Answer(last.Groups[1].Value, int.Parse(last.Groups[2].Value, CultureInfo.InvariantCulture));
        return FakeReply.Text(answer, chunkCount: workload.ChunkCount, chunkDelay: workload.ChunkDelay);
    };

    [GeneratedRegex(@"Conversation (\S+), turn (\d+):", RegexOptions.CultureInvariant)]
    private static partial Regex QuestionPattern();
}
