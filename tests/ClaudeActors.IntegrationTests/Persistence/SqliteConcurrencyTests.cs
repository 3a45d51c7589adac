using Akka.Actor;
using ClaudeActors.Conversations;
using ClaudeActors.Persistence;
using ClaudeActors.Projections;

namespace ClaudeActors.IntegrationTests.Persistence;

/// <summary>Many entities persisting at once on the one SQLite file: each write waits its turn, none fails with SQLITE_BUSY.</summary>
public sealed class SqliteConcurrencyTests
{
    private const int Conversations = 48;
    private const int Turns = 6;

    [Fact]
    public async Task Concurrent_persists_from_many_entities_all_succeed()
    {
        await using var store = new TestStore(JournalProvider.Sqlite);
        await using (var host = await PersistenceHost.StartAsync(store.Options, store.DataDirectory, publish: false))
        {
            var ask = TimeSpan.FromSeconds(60);
            // Every entity starts, then records its turns one persist at a time, all entities at once; the index's
            // live query and the heartbeat read and write the same file meanwhile.
            var work = Enumerable.Range(0, Conversations).Select(async n =>
            {
                var id = "busy-" + n;
                await host.Conversations.Ask<Done>(new PersistEvents(id, [Samples.Started(id, Samples.T0.AddSeconds(n))]), ask);
                for (var turn = 1; turn <= Turns; turn++)
                {
                    await host.Conversations.Ask<Done>(new PersistEvents(id, [Samples.Turn(turn, Samples.T0.AddMinutes(turn), $"{id}-{turn}")]), ask);
                }
            }).Append(Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    Assert.True((await ClaudeActors.Persistence.JournalProbe.ProbeAsync(host.Heartbeat, ask, CancellationToken.None)).Ok);
                }
            }));
            await Task.WhenAll(work);
        }

        await using var next = await PersistenceHost.StartAsync(store.Options, store.DataDirectory);
        for (var n = 0; n < Conversations; n++)
        {
            var state = await next.Conversations.Ask<ConversationState>(new ReadState("busy-" + n), TimeSpan.FromSeconds(30));
            Assert.Equal(Turns, state.Turns.Count);
        }

        await ConversationPersistenceTests.IndexCaughtUpAsync(next);
        var page = (await next.Index.Ask<ConversationPageReply>(new ListConversations(1000, null), TimeSpan.FromSeconds(30))).Page;
        Assert.Equal(Conversations, page.Items.Count);
        Assert.All(page.Items, record => Assert.Equal(Turns, record.Turns));
    }
}
