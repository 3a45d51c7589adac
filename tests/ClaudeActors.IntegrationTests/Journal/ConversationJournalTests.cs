using ClaudeActors.Conversations;
using ClaudeActors.Hosting;
using ClaudeActors.Persistence;
using ClaudeActors.Persistence.Sqlite;
using ClaudeActors.Testing.Journal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClaudeActors.IntegrationTests.Journal;

/// <summary>
/// The same behaviour from both journals, each built the way the server builds it: configuration, DI
/// (<see cref="JournalServiceCollectionExtensions.AddConversationJournal"/>) and a started host, which creates the schema.
/// </summary>
public sealed class ConversationJournalTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _root = Directory.CreateTempSubdirectory("claude-actors-journal-").FullName;
    private readonly List<IHost> _hosts = [];
    private readonly List<IDictionary<string, string?>> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await StopAsync(host);
        }

        foreach (var database in _databases)
        {
            await TestDatabases.DropAsync(database);
        }

        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Create_then_Get_returns_every_field_with_exact_timestamps(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        var full = Record("full") with
        {
            Model = "opus",
            SystemPrompt = "Be brief.\nÜnïcødé ✓",
            LastUsed = T0.AddMinutes(3).AddMilliseconds(7),
            Turns = 2,
            State = ConversationStatus.Warm,
            HistoryHash = "hash-1",
            Origin = "fork",
            ForkedFrom = "parent",
        };
        var bare = Record("bare");
        string[] transcript = ["""{"type":"user","n":1}""", """{"type":"assistant","n":2}""", """{"type":"result"}"""];
        TurnRecord[] turns = [Turn(1) with { StopReason = null }, Turn(2) with { Status = "interrupted", StopReason = "max_tokens" }];

        Assert.True(await journal.CreateAsync(full, transcript, turns, None));
        Assert.True(await journal.CreateAsync(bare, [], [], None));

        var loadedFull = await journal.GetAsync("full", None);
        Assert.Equal(full, loadedFull);
        Assert.Equal(TimeSpan.Zero, loadedFull!.Created.Offset);
        Assert.Equal(TimeSpan.Zero, loadedFull.LastUsed.Offset);
        Assert.Equal(bare, await journal.GetAsync("bare", None));
        Assert.Null(await journal.GetAsync("missing", None));
        Assert.Equal(transcript, await journal.ReadTranscriptAsync("full", None));
        var loadedTurns = await journal.ReadTurnsAsync("full", None);
        Assert.Equal(turns, loadedTurns);
        Assert.All(loadedTurns, t => Assert.Equal(TimeSpan.Zero, t.Started.Offset));
        Assert.Empty(await journal.ReadTranscriptAsync("bare", None));
        Assert.Empty(await journal.ReadTurnsAsync("bare", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Timestamps_are_kept_to_the_millisecond_and_read_back_as_UTC(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        // 10:06:07.891 plus 0.4567 ms at +02:00, that is 08:06:07.891(4567) UTC.
        var local = new DateTimeOffset(2025, 3, 4, 10, 6, 7, 891, TimeSpan.FromHours(2)).AddTicks(4_567);
        await journal.CreateAsync(Record("c") with { Created = local, LastUsed = local }, [], [Turn(1) with { Started = local }], None);

        var loaded = await journal.GetAsync("c", None);
        var expected = new DateTimeOffset(2025, 3, 4, 8, 6, 7, 891, TimeSpan.Zero);
        Assert.Equal(expected.Ticks, loaded!.Created.Ticks);
        Assert.Equal(TimeSpan.Zero, loaded.Created.Offset);
        Assert.Equal(expected.Ticks, loaded.LastUsed.Ticks);
        Assert.Equal(expected.Ticks, (await journal.ReadTurnsAsync("c", None))[0].Started.Ticks);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Create_of_an_existing_id_returns_false_and_writes_nothing(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        var first = Record("same");
        Assert.True(await journal.CreateAsync(first, ["a"], [Turn(1)], None));

        Assert.False(await journal.CreateAsync(first with { Model = "other", Turns = 9 }, ["b", "c"], [Turn(2)], None));

        Assert.Equal(first, await journal.GetAsync("same", None));
        Assert.Equal(["a"], await journal.ReadTranscriptAsync("same", None));
        Assert.Equal([1], (await journal.ReadTurnsAsync("same", None)).Select(t => t.Sequence));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AppendTurn_adds_turns_and_their_entries_in_order_and_updates_the_record(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        var record = Record("c");
        await journal.CreateAsync(record, ["init"], [], None);

        var afterFirst = record with
        {
            Turns = 1, LastUsed = T0.AddSeconds(10), HistoryHash = "h1", Model = "sonnet", State = ConversationStatus.Warm,
        };
        await journal.AppendTurnAsync(afterFirst, Turn(1), ["u1", "a1"], None);
        var afterSecond = afterFirst with { Turns = 2, LastUsed = T0.AddSeconds(20), HistoryHash = "h2", Model = "opus" };
        await journal.AppendTurnAsync(afterSecond, Turn(2), ["u2", "a2", "r2"], None);
        await journal.AppendTurnAsync(afterSecond with { Turns = 3, HistoryHash = null }, Turn(3), [], None);

        Assert.Equal(afterSecond with { Turns = 3, HistoryHash = null }, await journal.GetAsync("c", None));
        Assert.Equal([1, 2, 3], (await journal.ReadTurnsAsync("c", None)).Select(t => t.Sequence));
        Assert.Equal(Turn(2), (await journal.ReadTurnsAsync("c", None))[1]);
        Assert.Equal(["init", "u1", "a1", "u2", "a2", "r2"], await journal.ReadTranscriptAsync("c", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AppendTranscript_adds_entries_after_the_last_one_and_leaves_the_record_alone(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        var record = Record("c");
        await journal.CreateAsync(record, [], [], None);
        await journal.AppendTurnAsync(record with { Turns = 1 }, Turn(1), ["u1", "a1"], None);

        await journal.AppendTranscriptAsync("c", ["late1", "late2"], None);
        await journal.AppendTranscriptAsync("c", [], None);
        await journal.AppendTurnAsync(record with { Turns = 2 }, Turn(2), ["u2"], None);

        Assert.Equal(["u1", "a1", "late1", "late2", "u2"], await journal.ReadTranscriptAsync("c", None));
        Assert.Equal(record with { Turns = 2 }, await journal.GetAsync("c", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ReadTranscript_keeps_the_order_of_many_entries_including_a_two_megabyte_one(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        var image = $$"""{"type":"image","data":"{{Convert.ToBase64String(RandomBytes(1_572_864))}}"}"""; // 2 MB of base64
        Assert.True(image.Length > 2_000_000);
        var entries = Enumerable.Range(0, 600).Select(i => $$"""{"n":{{i}}}""").ToList();
        entries[321] = image;
        await journal.CreateAsync(Record("c"), entries[..100], [], None);
        for (var start = 100; start < entries.Count; start += 50)
        {
            await journal.AppendTranscriptAsync("c", entries[start..(start + 50)], None);
        }

        var loaded = await journal.ReadTranscriptAsync("c", None);

        Assert.Equal(entries.Count, loaded.Count);
        Assert.Equal(image, loaded[321]);
        Assert.True(entries.SequenceEqual(loaded), "the entries came back in another order or changed");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Update_changes_the_record_but_not_its_birth_turns_or_transcript(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        var record = Record("c") with { Origin = "auto", HistoryHash = "h1" };
        await journal.CreateAsync(record, ["e"], [Turn(1)], None);

        var updated = record with { State = ConversationStatus.Passivated, LastUsed = T0.AddHours(1), HistoryHash = null };
        await journal.UpdateAsync(updated, None);
        // Created, Origin and ForkedFrom say how the conversation began: an update does not rewrite them.
        await journal.UpdateAsync(updated with { Created = T0.AddDays(1), Origin = "fork", ForkedFrom = "x" }, None);

        Assert.Equal(updated, await journal.GetAsync("c", None));
        Assert.Equal(["e"], await journal.ReadTranscriptAsync("c", None));
        Assert.Single(await journal.ReadTurnsAsync("c", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Writes_to_a_conversation_that_does_not_exist_throw_and_write_nothing(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));

        await Assert.ThrowsAsync<KeyNotFoundException>(() => journal.AppendTurnAsync(Record("ghost"), Turn(1), ["e"], None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => journal.AppendTranscriptAsync("ghost", ["e"], None));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => journal.UpdateAsync(Record("ghost"), None));

        Assert.Null(await journal.GetAsync("ghost", None));
        Assert.Empty(await journal.ReadTurnsAsync("ghost", None));
        Assert.Empty(await journal.ReadTranscriptAsync("ghost", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task List_pages_most_recently_created_first_with_ties_by_id(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        // Created out of order; b and c were created in the same millisecond.
        foreach (var (id, minutes) in new[] { ("c", 1), ("e", 3), ("a", 0), ("d", 2), ("b", 1) })
        {
            await journal.CreateAsync(Record(id) with { Created = T0.AddMinutes(minutes) }, [], [], None);
        }

        var first = await journal.ListAsync(2, null, None);
        var second = await journal.ListAsync(2, first.Items[^1].Id, None);
        var third = await journal.ListAsync(2, second.Items[^1].Id, None);

        Assert.Equal(["e", "d"], first.Items.Select(r => r.Id));
        Assert.True(first.HasMore);
        Assert.Equal(["b", "c"], second.Items.Select(r => r.Id));
        Assert.True(second.HasMore);
        Assert.Equal(["a"], third.Items.Select(r => r.Id));
        Assert.False(third.HasMore);
        Assert.Equal(Record("e") with { Created = T0.AddMinutes(3) }, first.Items[0]);

        var all = await journal.ListAsync(5, null, None);
        Assert.Equal(["e", "d", "b", "c", "a"], all.Items.Select(r => r.Id));
        Assert.False(all.HasMore);
        var afterLast = await journal.ListAsync(2, "a", None);
        Assert.Empty(afterLast.Items);
        Assert.False(afterLast.HasMore);
        // An anchor that no longer exists (deleted between two pages) gives an empty page.
        Assert.Empty((await journal.ListAsync(2, "gone", None)).Items);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Delete_removes_the_turns_and_the_transcript_and_is_false_the_second_time(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        await journal.CreateAsync(Record("c"), ["e1", "e2"], [Turn(1), Turn(2)], None);
        await journal.CreateAsync(Record("keep"), ["k"], [Turn(1)], None);

        Assert.True(await journal.DeleteAsync("c", None));

        Assert.Null(await journal.GetAsync("c", None));
        Assert.Empty(await journal.ReadTurnsAsync("c", None));
        Assert.Empty(await journal.ReadTranscriptAsync("c", None));
        Assert.False(await journal.DeleteAsync("c", None));
        Assert.Equal(["k"], await journal.ReadTranscriptAsync("keep", None));
        Assert.Single(await journal.ReadTurnsAsync("keep", None));

        // The id is free again, with nothing left over from before.
        Assert.True(await journal.CreateAsync(Record("c"), ["new"], [Turn(1)], None));
        Assert.Equal(["new"], await journal.ReadTranscriptAsync("c", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FindByHistoryHash_returns_the_most_recently_used_match(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        await journal.CreateAsync(Record("old") with { HistoryHash = "h", LastUsed = T0.AddMinutes(1) }, [], [], None);
        await journal.CreateAsync(Record("recent") with { HistoryHash = "h", LastUsed = T0.AddMinutes(5) }, [], [], None);
        await journal.CreateAsync(Record("newest-other") with { HistoryHash = "other", LastUsed = T0.AddMinutes(9) }, [], [], None);

        Assert.Equal("recent", await journal.FindByHistoryHashAsync("h", None));
        Assert.Equal("newest-other", await journal.FindByHistoryHashAsync("other", None));
        Assert.Null(await journal.FindByHistoryHashAsync("nothing", None));

        await journal.UpdateAsync(Record("old") with { HistoryHash = "h", LastUsed = T0.AddMinutes(7) }, None);
        Assert.Equal("old", await journal.FindByHistoryHashAsync("h", None));
        await journal.UpdateAsync(Record("old") with { HistoryHash = null, LastUsed = T0.AddMinutes(8) }, None);
        Assert.Equal("recent", await journal.FindByHistoryHashAsync("h", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AppendTurn_on_twenty_conversations_in_parallel_lands_every_turn(JournalProvider provider)
    {
        var journal = await StartAsync(NewDatabase(provider));
        const int Conversations = 20;
        const int TurnsEach = 5;
        var ids = Enumerable.Range(0, Conversations).Select(i => $"parallel-{i:00}").ToList();
        await Task.WhenAll(ids.Select(id => Task.Run(() => journal.CreateAsync(Record(id), [], [], None))));

        await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            for (var turn = 1; turn <= TurnsEach; turn++)
            {
                var updated = Record(id) with { Turns = turn, LastUsed = T0.AddSeconds(turn) };
                await journal.AppendTurnAsync(updated, Turn(turn), [$"{id}/{turn}/u", $"{id}/{turn}/a"], None);
                // Readers run between the writes.
                Assert.Equal(turn * 2, (await journal.ReadTranscriptAsync(id, None)).Count);
            }
        })));

        foreach (var id in ids)
        {
            Assert.Equal(TurnsEach, (await journal.GetAsync(id, None))!.Turns);
            Assert.Equal(Enumerable.Range(1, TurnsEach), (await journal.ReadTurnsAsync(id, None)).Select(t => t.Sequence));
            var expected = Enumerable.Range(1, TurnsEach).SelectMany(turn => new[] { $"{id}/{turn}/u", $"{id}/{turn}/a" });
            Assert.Equal(expected, await journal.ReadTranscriptAsync(id, None));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_second_journal_on_the_same_database_sees_the_data_and_so_does_one_after_a_restart(JournalProvider provider)
    {
        var database = NewDatabase(provider);
        var firstHost = await StartHostAsync(database);
        var first = Journal(firstHost);
        await first.CreateAsync(Record("c"), ["e1"], [Turn(1)], None);

        var second = await StartAsync(database);
        Assert.Equal(Record("c"), await second.GetAsync("c", None));
        await second.AppendTurnAsync(Record("c") with { Turns = 2 }, Turn(2), ["e2"], None);
        Assert.Equal(["e1", "e2"], await first.ReadTranscriptAsync("c", None));

        await StopAsync(firstHost);
        lock (_hosts)
        {
            _hosts.Remove(firstHost);
        }

        var restarted = await StartAsync(database);
        Assert.Equal(Record("c") with { Turns = 2 }, await restarted.GetAsync("c", None));
        Assert.Equal([1, 2], (await restarted.ReadTurnsAsync("c", None)).Select(t => t.Sequence));
        Assert.Equal(["e1", "e2"], await restarted.ReadTranscriptAsync("c", None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Several_nodes_starting_at_once_on_a_new_database_all_create_the_schema(JournalProvider provider)
    {
        var database = NewDatabase(provider);

        var journals = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => StartAsync(database))));

        await journals[0].CreateAsync(Record("c"), ["e"], [], None);
        Assert.All(await Task.WhenAll(journals.Select(j => j.GetAsync("c", None))), r => Assert.Equal(Record("c"), r));
    }

    [Fact]
    public async Task PostgreSql_without_a_connection_string_fails_start_up_naming_the_setting()
    {
        var settings = new Dictionary<string, string?> { ["ClaudeActors:Journal:Provider"] = "PostgreSql" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains("ClaudeActors:Journal:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_without_a_connection_string_keeps_journal_db_in_the_data_directory()
    {
        var dataDirectory = Path.Combine(_root, "not", "yet", "there");
        var journal = await StartAsync(new Dictionary<string, string?> { ["ClaudeActors:DataDirectory"] = dataDirectory });

        await journal.CreateAsync(Record("c"), ["e"], [], None);

        Assert.IsType<SqliteConversationJournal>(Assert.IsType<JournalGuard>(journal).Inner);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "journal.db")));
        Assert.Equal(["e"], await journal.ReadTranscriptAsync("c", None));
    }

    private static ConversationRecord Record(string id) => new()
    {
        Id = id,
        CliSessionId = "cli-" + id,
        Created = T0,
        LastUsed = T0,
    };

    private static TurnRecord Turn(int sequence) => new()
    {
        Sequence = sequence,
        RequestJson = $$"""[{"type":"text","text":"question {{sequence}}"}]""",
        Answer = $"answer {sequence}",
        Status = "completed",
        StopReason = "end_turn",
        InputTokens = 1_000 + sequence,
        OutputTokens = 20 + sequence,
        CacheReadInputTokens = 5_000_000_000L + sequence,
        CacheCreationInputTokens = 300 + sequence,
        Started = T0.AddSeconds(sequence).AddMilliseconds(sequence),
        DurationMs = 1_234 + sequence,
    };

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static IConversationJournal Journal(IHost host) => host.Services.GetRequiredService<IConversationJournal>();

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
    }

    private IDictionary<string, string?> NewDatabase(JournalProvider provider)
    {
        var settings = TestDatabases.For(provider, _root);
        _databases.Add(settings);
        return settings;
    }

    private async Task<IConversationJournal> StartAsync(IDictionary<string, string?> settings) =>
        Journal(await StartHostAsync(settings));

    /// <summary>A host with the journal registered as the server registers it, started (so the schema exists).</summary>
    private async Task<IHost> StartHostAsync(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddValidatedOptions<ClaudeActorsOptions>(ClaudeActorsOptions.SectionName);
        builder.Services.AddConversationJournal();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return host;
    }
}
