using System.Diagnostics;
using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// Many conversations on one gateway, by id: opened with one turn each at a bounded concurrency, remembered in the
/// order their first turn ended (least recently used first), and given follow-up turns.
/// </summary>
internal sealed class ConversationFleet(IConversationPath path, HttpClient sessionApi)
{
    private readonly Lock _lock = new();
    private readonly List<Conversation> _byLastUse = [];

    /// <summary>The conversations whose first turn succeeded, least recently used first.</summary>
    public IReadOnlyList<Conversation> ByLastUse
    {
        get
        {
            lock (_lock)
            {
                return [.. _byLastUse];
            }
        }
    }

    /// <summary>Opens one conversation per key with its first turn, at most <paramref name="concurrency"/> at a time.</summary>
    public async Task<(CellResult Turns, TimeSpan Wall)> OpenAsync(
        IReadOnlyList<string> keys, int concurrency, Action<int> progress, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var done = 0;
        var wall = Stopwatch.StartNew();
        var opens = keys.Select(async key =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var conversation = new Conversation(key);
                var sample = await SendAsync(conversation, cancellationToken);
                if (sample.Succeeded)
                {
                    lock (_lock)
                    {
                        _byLastUse.Add(conversation);
                    }
                }

                progress(Interlocked.Increment(ref done));
                return sample;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        var samples = await Task.WhenAll(opens);
        wall.Stop();
        return (new CellResult(path.Name, concurrency, samples, wall.Elapsed), wall.Elapsed);
    }

    /// <summary>The next turn of each conversation, one after the other, probing its process before and after.</summary>
    public async Task<FollowUp> NextTurnAsync(string kind, IReadOnlyList<Conversation> conversations, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        var before = new List<SessionProcessInfo?>();
        var after = new List<SessionProcessInfo?>();
        foreach (var conversation in conversations)
        {
            before.Add(await SessionApi.GetAsync(sessionApi, conversation.SessionId!, cancellationToken));
            samples.Add(await SendAsync(conversation, cancellationToken));
            after.Add(await SessionApi.GetAsync(sessionApi, conversation.SessionId!, cancellationToken));
        }

        return new FollowUp(kind, samples, before, after);
    }

    private async Task<Sample> SendAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var turn = conversation.Turns + 1;
        var question = ConversationScript.Question(conversation.Key, turn);
        var reply = await path.SendTurnAsync(conversation, question, text => ConversationScript.IsExpected(conversation.Key, turn, text), cancellationToken);
        if (reply.Sample.Succeeded)
        {
            conversation.Add(question, reply.Text);
        }
        else
        {
            Console.Error.WriteLine($"[bench]   {conversation.Key} turn {turn} failed: {reply.Sample.Error}");
        }

        return reply.Sample;
    }
}
