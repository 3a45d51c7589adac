using System.Diagnostics;
using System.Globalization;
using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// Runs conversations of a fixed number of turns along one path, at most a given number of conversations at a time
/// (the turns of one conversation one after the other, as a chat client sends them). A failed turn ends its
/// conversation, since the history after it would be wrong.
/// </summary>
internal sealed class ConversationRunner(IConversationPath path, HttpClient? sessionApi, int turns)
{
    public async Task<PathResult> RunAsync(IReadOnlyList<string> keys, int concurrency, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var wall = Stopwatch.StartNew();
        var runs = keys.Select(async key =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                return await RunOneAsync(new Conversation(key), cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var results = await Task.WhenAll(runs);
        wall.Stop();
        var checks = results.Select(r => r.Check).OfType<ProcessCheck>().ToList();
        return new PathResult(path.Name, concurrency, [.. results.SelectMany(r => r.Turns)], checks, wall.Elapsed);
    }

    private async Task<(List<TurnSample> Turns, ProcessCheck? Check)> RunOneAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var samples = new List<TurnSample>();
        SessionProcessInfo? afterFirst = null;
        var idKept = true;
        for (var turn = 1; turn <= turns; turn++)
        {
            var question = ConversationScript.Question(conversation.Key, turn);
            var expectedTurn = turn;
            var reply = await path.SendTurnAsync(conversation, question, text => ConversationScript.IsExpected(conversation.Key, expectedTurn, text), cancellationToken);
            samples.Add(new TurnSample(conversation.Key, turn, reply.Sample));
            if (!reply.Sample.Succeeded)
            {
                Console.Error.WriteLine($"[bench]   {conversation.Key} turn {turn} failed: {reply.Sample.Error}");
                break;
            }

            conversation.Add(question, reply.Text);
            if (path.HasSession)
            {
                idKept &= conversation.SessionId is null || reply.SessionId == conversation.SessionId;
                conversation.SessionId ??= reply.SessionId;
                if (turn == 1 && conversation.SessionId is { } id && sessionApi is not null)
                {
                    afterFirst = await SessionApi.GetAsync(sessionApi, id, cancellationToken);
                }
            }
        }

        var check = await CheckAsync(conversation, afterFirst, idKept, cancellationToken);
        Console.Error.WriteLine($"[bench]   {conversation.Key}: {Summary(samples)}{(check is null ? "" : ", process.starts " + check.Describe())}");
        return (samples, check);
    }

    private async Task<ProcessCheck?> CheckAsync(Conversation conversation, SessionProcessInfo? afterFirst, bool idKept, CancellationToken cancellationToken)
    {
        if (!path.HasSession || sessionApi is null)
        {
            return null;
        }

        var afterLast = conversation.SessionId is { } id ? await SessionApi.GetAsync(sessionApi, id, cancellationToken) : null;
        return new ProcessCheck(conversation.Key, conversation.SessionId, afterFirst, afterLast, idKept);
    }

    private static string Summary(List<TurnSample> samples)
    {
        var first = samples.FirstOrDefault(s => s.Turn == 1 && s.Sample.Succeeded);
        var later = LatencyStats.From(samples.Where(s => s.Turn > 1 && s.Sample.Succeeded).Select(s => s.Sample.TimeToFirstToken));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{samples.Count(s => s.Sample.Succeeded)}/{samples.Count} turns ok, TTFT turn 1 {first.Sample.TimeToFirstToken.TotalMilliseconds:0} ms, turns 2.. p50 {later.P50.TotalMilliseconds:0} ms");
    }
}
