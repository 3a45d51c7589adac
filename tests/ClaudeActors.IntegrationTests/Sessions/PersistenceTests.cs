using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
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
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-restart-");

        await using (var before = await gateways.StartAsync())
        {
            await SessionApi.SayAsync(before.Http, "durable", "My cat is called Tom.");
            await SessionApi.SayAsync(before.Http, "durable", "He is grey.");
        }

        await using var after = await gateways.StartAsync();
        Assert.Equal("echo: What is my cat called?", await SessionApi.SayAsync(after.Http, "durable", "What is my cat called?"));

        var request = upstream.MessageRequests[^1];
        Assert.Equal(["My cat is called Tom.", "He is grey.", "What is my cat called?"], request.UserTexts);
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], request.MessageRoles);
        Assert.Equal(3, (await SessionApi.GetAsync(after.Http, "durable")).GetProperty("turns").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task When_the_CLI_config_folder_is_gone_the_transcript_is_restored_from_the_journal(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-lost-");

        await using (var before = await gateways.StartAsync())
        {
            await SessionApi.SayAsync(before.Http, "amnesia", "The code word is pineapple.");
        }

        Directory.Delete(Path.Combine(gateways.Root, "cli-config"), recursive: true);
        await using var after = await gateways.StartAsync();
        Assert.Equal("echo: The code word?", await SessionApi.SayAsync(after.Http, "amnesia", "The code word?"));

        var request = upstream.MessageRequests[^1];
        Assert.Equal(["The code word is pineapple.", "The code word?"], request.UserTexts);
        Assert.Contains("echo: The code word is pineapple.", request.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_stateless_resend_continues_its_conversation_after_a_restart(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-resend-");

        string id;
        await using (var before = await gateways.StartAsync())
        {
            using var first = await SessionApi.ResendAsync(before.Http, ("user", "alpha"));
            id = first.Headers.GetValues("X-Session-Id").Single();
        }

        await using var after = await gateways.StartAsync();
        using var second = await SessionApi.ResendAsync(after.Http, ("user", "alpha"), ("assistant", "echo: alpha"), ("user", "beta"));

        Assert.Equal(id, second.Headers.GetValues("X-Session-Id").Single());
        Assert.Equal(2, (await SessionApi.GetAsync(after.Http, id)).GetProperty("turns").GetInt32());
    }
}
