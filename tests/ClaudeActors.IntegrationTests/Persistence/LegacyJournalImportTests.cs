using Akka.Actor;
using ClaudeActors.Conversations;
using ClaudeActors.Persistence;
using ClaudeActors.Persistence.Legacy;
using ClaudeActors.Projections;
using ClaudeActors.Testing.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ClaudeActors.IntegrationTests.Persistence;

/// <summary>
/// The import of a journal the old release wrote (tests/fixtures/legacy-journal), into the real Akka.Persistence.Sql
/// journal through the stand-in entity, on both databases.
/// </summary>
public sealed class LegacyJournalImportTests
{
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(30);
    private static readonly string[] Ids = ["alpha", "béta / id ✓", "alpha-fork"];

    public static IEnumerable<object[]> Providers => TestDatabases.Providers;

    private static string FixtureFolder => Path.Combine(AppContext.BaseDirectory, "fixtures", "legacy-journal");

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Every_conversation_is_imported_whole_once_and_the_old_journal_is_marked(JournalProvider provider)
    {
        await using var store = new TestStore(provider);
        await InstallFixtureAsync(store);
        var expected = await ReadFixtureAsync(store);
        Assert.Equal(Ids.Order(StringComparer.Ordinal), expected.Keys.Order(StringComparer.Ordinal));

        await using (var host = await PersistenceHost.StartAsync(store.Options, store.DataDirectory))
        {
            var outcome = await Import(store, host.Conversations).RunAsync(CancellationToken.None);
            Assert.Equal(new LegacyImportOutcome(true, 3, 0), outcome);
            Assert.False(await LegacyPresentAsync(store));

            // Marked: the next run finds nothing.
            Assert.Equal(LegacyImportOutcome.NothingToImport, await Import(store, host.Conversations).RunAsync(CancellationToken.None));
        }

        // A new process recovers the conversations from the new journal, and its index lists them.
        await using var next = await PersistenceHost.StartAsync(store.Options, store.DataDirectory);
        foreach (var (id, legacy) in expected)
        {
            var state = await next.Conversations.Ask<ConversationState>(new ReadState(id), Ask);
            Assert.Equal(legacy.Record, state.Record);
            Assert.Equal(legacy.Turns, state.Turns);
            Assert.Equal(legacy.Transcript, state.Transcript);
        }

        await ConversationPersistenceTests.IndexCaughtUpAsync(next);
        var page = (await next.Index.Ask<ConversationPageReply>(new ListConversations(10, null), Ask)).Page;
        Assert.Equal(["alpha-fork", "béta / id ✓", "alpha"], page.Items.Select(r => r.Id));
        Assert.Equal(expected["alpha"].Record, page.Items[2]);
        // The fork shares its source's history; it was used more recently.
        Assert.Equal("alpha-fork", (await next.Index.Ask<HistoryHashMatch>(new FindByHistoryHash("hash-alpha-2"), Ask)).ConversationId);
        AssertFixtureValues(expected);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_import_that_fails_midway_leaves_the_old_journal_and_the_next_start_finishes_it(JournalProvider provider)
    {
        await using var store = new TestStore(provider);
        await InstallFixtureAsync(store);
        await using var host = await PersistenceHost.StartAsync(store.Options, store.DataDirectory);

        // The entity answers the first conversation, then something the import cannot take (as a failing journal would).
        var failing = host.System.ActorOf(Props.Create(() => new FailAfterFirst(host.Conversations)));
        await Assert.ThrowsAsync<LegacyImportException>(() => Import(store, failing).RunAsync(CancellationToken.None));
        Assert.True(await LegacyPresentAsync(store));

        var outcome = await Import(store, host.Conversations).RunAsync(CancellationToken.None);
        Assert.Equal(new LegacyImportOutcome(true, 2, 1), outcome);
        Assert.False(await LegacyPresentAsync(store));
        var alpha = await host.Conversations.Ask<ConversationState>(new ReadState("alpha"), Ask);
        Assert.Equal(2, alpha.Turns.Count);
    }

    [Fact]
    public async Task A_configured_sqlite_file_keeps_the_new_journal_beside_the_old_tables_which_are_renamed()
    {
        await using var store = new TestStore(JournalProvider.Sqlite);
        var path = Path.Combine(store.DataDirectory, "mine.db");
        File.Copy(Path.Combine(FixtureFolder, "journal.db"), path);
        var options = new JournalOptions { Provider = JournalProvider.Sqlite, ConnectionString = $"Data Source={path}" };
        await using var host = await PersistenceHost.StartAsync(options, store.DataDirectory);

        var import = new LegacyJournalImport(options, store.DataDirectory, host.Conversations, TimeProvider.System, NullLogger<LegacyJournalImport>.Instance);
        Assert.Equal(new LegacyImportOutcome(true, 3, 0), await import.RunAsync(CancellationToken.None));
        Assert.Equal(LegacyImportOutcome.NothingToImport, await import.RunAsync(CancellationToken.None));

        await using var sqlite = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await sqlite.OpenAsync();
        await using var tables = sqlite.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%conversations%' ORDER BY name;";
        await using var reader = await tables.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        Assert.Equal(["legacy_conversations_imported"], names);
        var alpha = await host.Conversations.Ask<ConversationState>(new ReadState("alpha"), Ask);
        Assert.Equal(5, alpha.Transcript.Count);
    }

    private static LegacyJournalImport Import(TestStore store, IActorRef target) =>
        new(store.Options, store.DataDirectory, target, TimeProvider.System, NullLogger<LegacyJournalImport>.Instance);

    /// <summary>Puts the fixture where the old release kept its journal: journal.db in the data directory, or its tables in the database.</summary>
    private static async Task InstallFixtureAsync(TestStore store)
    {
        if (store.Options.Provider == JournalProvider.Sqlite)
        {
            File.Copy(Path.Combine(FixtureFolder, "journal.db"), Path.Combine(store.DataDirectory, "journal.db"));
            return;
        }

        await using var connection = new NpgsqlConnection(store.Options.ConnectionString);
        await connection.OpenAsync();
        await using var script = new NpgsqlCommand(await File.ReadAllTextAsync(Path.Combine(FixtureFolder, "journal.postgresql.sql")), connection);
        await script.ExecuteNonQueryAsync();
    }

    private static async Task<Dictionary<string, LegacyConversation>> ReadFixtureAsync(TestStore store)
    {
        await using LegacyJournal legacy = store.Options.Provider == JournalProvider.Sqlite
            ? (await SqliteLegacyJournal.OpenAsync(Path.Combine(store.DataDirectory, "journal.db"), ownFile: true, CancellationToken.None))!
            : (await PostgreSqlLegacyJournal.OpenAsync(store.Options.ConnectionString!, CancellationToken.None))!;
        var all = new Dictionary<string, LegacyConversation>(StringComparer.Ordinal);
        foreach (var id in await legacy.ConversationIdsAsync(CancellationToken.None))
        {
            all[id] = (await legacy.ReadAsync(id, CancellationToken.None))!;
        }

        return all;
    }

    private static async Task<bool> LegacyPresentAsync(TestStore store)
    {
        if (store.Options.Provider == JournalProvider.Sqlite)
        {
            var path = Path.Combine(store.DataDirectory, "journal.db");
            if (!File.Exists(path))
            {
                Assert.True(File.Exists(path + SqliteLegacyJournal.ImportedSuffix));
                return false;
            }

            await using var sqlite = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            await sqlite.OpenAsync();
            await using var count = sqlite.CreateCommand();
            count.CommandText = "SELECT (SELECT COUNT(*) FROM conversations) + (SELECT COUNT(*) FROM turns) + (SELECT COUNT(*) FROM transcript_entries);";
            Assert.Equal(3 + 6 + 14, (long)(await count.ExecuteScalarAsync())!);
            return true;
        }

        await using var connection = new NpgsqlConnection(store.Options.ConnectionString);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand(
            "SELECT to_regclass('conversations') IS NOT NULL, to_regclass('legacy_conversations_imported') IS NOT NULL, " +
            "to_regclass('legacy_transcript_entries_imported') IS NOT NULL;", connection);
        await using var reader = await tables.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (present, renamed, transcriptRenamed) = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2));
        Assert.NotEqual(present, renamed);
        Assert.Equal(renamed, transcriptRenamed);
        return present;
    }

    /// <summary>What the old code wrote (GenerateLegacyFixture.cs.txt), field by field, so the readers cannot agree on a wrong value.</summary>
    private static void AssertFixtureValues(Dictionary<string, LegacyConversation> fixture)
    {
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);
        var alpha = fixture["alpha"];
        Assert.Equal(
            new ConversationRecord
            {
                Id = "alpha",
                CliSessionId = "8f0c2f1e-2d7b-4c7e-9a51-0a1b2c3d4e5f",
                Model = "claude-opus-4-1",
                SystemPrompt = "You are terse.",
                Created = t0,
                LastUsed = t0.AddSeconds(13),
                Turns = 2,
                State = ConversationStatus.Passivated,
                HistoryHash = "hash-alpha-2",
                Origin = "client",
                ForkedFrom = null,
            },
            alpha.Record);
        Assert.Equal(5, alpha.Transcript.Count);
        Assert.Equal("""{"type":"system","subtype":"after-result","uuid":"s1"}""", alpha.Transcript[2]);
        Assert.Equal(
            new TurnRecord
            {
                Sequence = 2,
                RequestJson = """[{"type":"text","text":"And émojis ✓ \"quoted\""}]""",
                Answer = "Fine ✓\nline two",
                Status = "completed",
                StopReason = "max_tokens",
                InputTokens = 20,
                OutputTokens = 40,
                Started = t0.AddSeconds(10),
                DurationMs = 2500,
            },
            alpha.Turns[1]);
        Assert.Equal(100, alpha.Turns[0].CacheReadInputTokens);
        Assert.Equal(7, alpha.Turns[0].CacheCreationInputTokens);

        var beta = fixture["béta / id ✓"];
        Assert.Equal(("auto", null, ConversationStatus.Idle, 2), (beta.Record.Origin, beta.Record.HistoryHash, beta.Record.State, beta.Record.Turns));
        Assert.Null(beta.Record.Model);
        Assert.Null(beta.Record.SystemPrompt);
        Assert.Equal(("interrupted", (string?)null, "partial ans"), (beta.Turns[1].Status, beta.Turns[1].StopReason, beta.Turns[1].Answer));
        Assert.Equal(3, beta.Transcript.Count);

        var fork = fixture["alpha-fork"];
        Assert.Equal(("fork", "alpha", t0.AddSeconds(30)), (fork.Record.Origin, fork.Record.ForkedFrom, fork.Record.Created));
        Assert.Equal(alpha.Turns, fork.Turns);
        Assert.Equal([.. alpha.Transcript, """{"type":"system","subtype":"fork-note","uuid":"f1"}"""], fork.Transcript);
    }

    /// <summary>Forwards the first import, then answers what an entity whose journal failed might: not an ImportResult.</summary>
    private sealed class FailAfterFirst : ReceiveActor
    {
        public FailAfterFirst(IActorRef conversations)
        {
            var forwarded = false;
            Receive<ImportConversation>(import =>
            {
                if (!forwarded)
                {
                    forwarded = true;
                    conversations.Forward(import);
                    return;
                }

                Sender.Tell("journal failed");
            });
        }
    }
}
