using Akka.Actor;
using ClaudeActors.Conversations;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Projections;
using ClaudeActors.Testing.Journal;
using Microsoft.Data.Sqlite;

namespace ClaudeActors.IntegrationTests.Persistence;

/// <summary>Akka.Persistence.Sql as WithConversationPersistence sets it up, with the index, on SQLite and PostgreSQL.</summary>
public sealed class ConversationPersistenceTests
{
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(30);

    public static IEnumerable<object[]> Providers => TestDatabases.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Events_persisted_by_an_entity_are_recovered_by_the_next_process(JournalProvider provider)
    {
        await using var store = new TestStore(provider);
        IConversationEvent[] events =
        [
            Samples.Started("c1", Samples.T0),
            Samples.Turn(1, Samples.T0.AddSeconds(1), "h1"),
            new TranscriptAppended(new List<string> { """{"type":"system","uuid":"late"}""" }, Samples.T0.AddSeconds(2)),
            Samples.Turn(2, Samples.T0.AddSeconds(3), "h2"),
            new ConversationPassivated(Samples.T0.AddSeconds(4)),
        ];
        var expected = events.Aggregate(ConversationState.Empty, (state, e) => state.Apply(e));

        await using (var first = await PersistenceHost.StartAsync(store.Options, store.DataDirectory))
        {
            await first.Conversations.Ask<Done>(new PersistEvents("c1", events), Ask);
        }

        await using var second = await PersistenceHost.StartAsync(store.Options, store.DataDirectory);
        var recovered = await second.Conversations.Ask<ConversationState>(new ReadState("c1"), Ask);
        Assert.Equal(expected.Record, recovered.Record);
        Assert.Equal(expected.Turns, recovered.Turns);
        Assert.Equal(expected.Transcript, recovered.Transcript);
        Assert.Equal(ConversationStatus.Passivated, recovered.Record!.State);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_sqlite_database_is_private_and_in_wal_mode()
    {
        await using var store = new TestStore(JournalProvider.Sqlite);
        var folder = Path.Combine(store.DataDirectory, "data");
        await using (var host = await PersistenceHost.StartAsync(store.Options, folder))
        {
            await host.Conversations.Ask<Done>(new PersistEvents("c1", [Samples.Started("c1", Samples.T0)]), Ask);
            var path = Path.Combine(folder, ConversationStore.DefaultSqliteFileName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.True(File.Exists(path + "-wal"));
            await using var connection = new SqliteConnection($"Data Source={path}");
            await connection.OpenAsync();
            await using var mode = connection.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string)(await mode.ExecuteScalarAsync())!);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_index_lists_newest_first_finds_by_hash_follows_deletes_and_catches_up_after_a_restart(JournalProvider provider)
    {
        await using var store = new TestStore(provider);
        await using (var first = await PersistenceHost.StartAsync(store.Options, store.DataDirectory))
        {
            await IndexCaughtUpAsync(first);
            // Created: b and c at the same instant (ties by id), a before them, d after.
            await PersistAsync(first, "a", Samples.Started("a", Samples.T0, "ha"));
            await PersistAsync(first, "c", Samples.Started("c", Samples.T0.AddSeconds(5)));
            await PersistAsync(first, "b", Samples.Started("b", Samples.T0.AddSeconds(5)), Samples.Turn(1, Samples.T0.AddSeconds(9), "shared"));
            await PersistAsync(first, "d", Samples.Started("d", Samples.T0.AddSeconds(7)), Samples.Turn(1, Samples.T0.AddSeconds(8), "shared"));
            await PersistAsync(first, "e", Samples.Started("e", Samples.T0.AddSeconds(1)));
            await PersistAsync(first, "e", new ConversationDeleted(Samples.T0.AddSeconds(2)));

            // The local publication reaches the index before the journal query polls: no waiting here.
            await AssertListAsync(first, ["d", "b", "c", "a"]);
            Assert.Equal("b", (await first.Index.Ask<HistoryHashMatch>(new FindByHistoryHash("shared"), Ask)).ConversationId);
            Assert.Equal("a", (await first.Index.Ask<HistoryHashMatch>(new FindByHistoryHash("ha"), Ask)).ConversationId);
            Assert.Null((await first.Index.Ask<HistoryHashMatch>(new FindByHistoryHash("nothing"), Ask)).ConversationId);
        }

        await using var second = await PersistenceHost.StartAsync(store.Options, store.DataDirectory);
        await IndexCaughtUpAsync(second);
        await AssertListAsync(second, ["d", "b", "c", "a"]);
        Assert.Equal("b", (await second.Index.Ask<HistoryHashMatch>(new FindByHistoryHash("shared"), Ask)).ConversationId);
        var first2 = (await second.Index.Ask<ConversationPageReply>(new ListConversations(2, null), Ask)).Page;
        Assert.Equal(2, first2.Items[0].Turns + first2.Items[1].Turns);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_index_follows_the_journal_without_the_local_publication(JournalProvider provider)
    {
        await using var store = new TestStore(provider);
        await using var host = await PersistenceHost.StartAsync(store.Options, store.DataDirectory, publish: false);
        await IndexCaughtUpAsync(host);
        await PersistAsync(host, "quiet", Samples.Started("quiet", Samples.T0, "hq"));
        await PersistAsync(host, "quiet", new TranscriptAppended(new List<string> { """{"uuid":"t"}""" }, Samples.T0.AddSeconds(1)), Samples.Turn(1, Samples.T0.AddSeconds(2), "hq2"));

        await Eventually.TrueAsync(
            async () => (await host.Index.Ask<HistoryHashMatch>(new FindByHistoryHash("hq2"), Ask)).ConversationId == "quiet",
            "the live tag query brings the turn to the index");
        var page = (await host.Index.Ask<ConversationPageReply>(new ListConversations(10, null), Ask)).Page;
        Assert.Equal(1, Assert.Single(page.Items).Turns);

        await PersistAsync(host, "quiet", new ConversationDeleted(Samples.T0.AddSeconds(3)));
        await Eventually.TrueAsync(
            async () => ((await host.Index.Ask<ConversationPageReply>(new ListConversations(10, null), Ask)).Page).Items.Count == 0,
            "the live tag query brings the delete to the index");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_heartbeat_stores_a_write(JournalProvider provider)
    {
        await using var store = new TestStore(provider);
        await using var host = await PersistenceHost.StartAsync(store.Options, store.DataDirectory);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(JournalStatus.Working, await JournalProbe.ProbeAsync(host.Heartbeat, Ask, CancellationToken.None));
        }

        Assert.Equal(JournalStatus.Working, await JournalProbe.CurrentAsync(host.Heartbeat, Ask, CancellationToken.None));
    }

    internal static async Task IndexCaughtUpAsync(PersistenceHost host) =>
        await Eventually.TrueAsync(async () => (await host.Index.Ask<IndexStatus>(GetIndexStatus.Instance, Ask)).CaughtUp, "the index caught up");

    private static Task PersistAsync(PersistenceHost host, string id, params IConversationEvent[] events) =>
        host.Conversations.Ask<Done>(new PersistEvents(id, events), Ask);

    private static async Task AssertListAsync(PersistenceHost host, string[] expected)
    {
        var all = (await host.Index.Ask<ConversationPageReply>(new ListConversations(100, null), Ask)).Page;
        Assert.Equal(expected, all.Items.Select(r => r.Id));
        Assert.False(all.HasMore);

        var pages = new List<string>();
        string? after = null;
        while (true)
        {
            var page = (await host.Index.Ask<ConversationPageReply>(new ListConversations(3, after), Ask)).Page;
            pages.AddRange(page.Items.Select(r => r.Id));
            if (!page.HasMore)
            {
                break;
            }

            after = page.Items[^1].Id;
        }

        Assert.Equal(expected, pages);
    }
}
