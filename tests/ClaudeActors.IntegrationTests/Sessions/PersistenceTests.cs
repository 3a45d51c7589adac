using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Journal;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>Nothing is lost: a restarted server, or a CLI whose transcript is gone, continues from the journal.</summary>
public sealed class PersistenceTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task After_a_server_restart_the_next_turn_continues_with_the_full_history(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        var root = Directory.CreateTempSubdirectory("claude-actors-restart-").FullName;
        var database = TestDatabases.For(provider, Path.Combine(root, "data"));
        try
        {
            await using (var before = await TestGateway.StartAsync(upstream.BaseUrl, s => Merge(s, database), root))
            {
                await SessionApi.SayAsync(before.Http, "durable", "My cat is called Tom.");
                await SessionApi.SayAsync(before.Http, "durable", "He is grey.");
            }

            await using var after = await TestGateway.StartAsync(upstream.BaseUrl, s => Merge(s, database), root);
            Assert.Equal("echo: What is my cat called?", await SessionApi.SayAsync(after.Http, "durable", "What is my cat called?"));

            var request = upstream.MessageRequests[^1];
            Assert.Equal(["My cat is called Tom.", "He is grey.", "What is my cat called?"], request.UserTexts);
            Assert.Equal(["user", "assistant", "user", "assistant", "user"], request.MessageRoles);
            Assert.Equal(3, (await SessionApi.GetAsync(after.Http, "durable")).GetProperty("turns").GetInt32());
        }
        finally
        {
            await TestDatabases.DropAsync(database);
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task When_the_CLI_config_folder_is_gone_the_transcript_is_restored_from_the_journal(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        var root = Directory.CreateTempSubdirectory("claude-actors-lost-").FullName;
        var database = TestDatabases.For(provider, Path.Combine(root, "data"));
        try
        {
            await using (var before = await TestGateway.StartAsync(upstream.BaseUrl, s => Merge(s, database), root))
            {
                await SessionApi.SayAsync(before.Http, "amnesia", "The code word is pineapple.");
            }

            Directory.Delete(Path.Combine(root, "cli-config"), recursive: true);
            await using var after = await TestGateway.StartAsync(upstream.BaseUrl, s => Merge(s, database), root);
            Assert.Equal("echo: The code word?", await SessionApi.SayAsync(after.Http, "amnesia", "The code word?"));

            var request = upstream.MessageRequests[^1];
            Assert.Equal(["The code word is pineapple.", "The code word?"], request.UserTexts);
            Assert.Contains("echo: The code word is pineapple.", request.Body.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            await TestDatabases.DropAsync(database);
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_stateless_resend_continues_its_conversation_after_a_restart(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        var root = Directory.CreateTempSubdirectory("claude-actors-resend-").FullName;
        var database = TestDatabases.For(provider, Path.Combine(root, "data"));
        try
        {
            string id;
            await using (var before = await TestGateway.StartAsync(upstream.BaseUrl, s => Merge(s, database), root))
            {
                using var first = await SessionApi.ResendAsync(before.Http, ("user", "alpha"));
                id = first.Headers.GetValues("X-Session-Id").Single();
            }

            await using var after = await TestGateway.StartAsync(upstream.BaseUrl, s => Merge(s, database), root);
            using var second = await SessionApi.ResendAsync(after.Http, ("user", "alpha"), ("assistant", "echo: alpha"), ("user", "beta"));

            Assert.Equal(id, second.Headers.GetValues("X-Session-Id").Single());
            Assert.Equal(2, (await SessionApi.GetAsync(after.Http, id)).GetProperty("turns").GetInt32());
        }
        finally
        {
            await TestDatabases.DropAsync(database);
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Merge(IDictionary<string, string?> settings, IDictionary<string, string?> database)
    {
        foreach (var (key, value) in database)
        {
            settings[key] = value;
        }
    }
}
