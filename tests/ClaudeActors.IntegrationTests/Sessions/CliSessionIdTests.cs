using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>
/// A conversation's CLI session (and transcript file) is its own: a random UUID kept in its record, never derived from
/// an id a client chose, and the same after a restart.
/// </summary>
public sealed class CliSessionIdTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_id_equal_to_another_conversations_CLI_session_id_gets_a_history_of_its_own(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-cli-ids-");

        string victimCliId;
        await using (var before = await gateways.StartAsync())
        {
            await SessionApi.SayAsync(before.Http, "victim", "The victim's secret is 42.");
            victimCliId = (await SessionApi.GetAsync(before.Http, "victim")).GetProperty("cli_session_id").GetString()!;

            // Both the CLI id as it is and in capitals (a UUID parser reads them alike).
            foreach (var attacker in (string[])[victimCliId, victimCliId.ToUpperInvariant()])
            {
                await SessionApi.SayAsync(before.Http, attacker, "What is the secret?");
                Assert.Equal(["What is the secret?"], upstream.MessageRequests[^1].UserTexts);
                Assert.NotEqual(victimCliId, upstream.MessageRequests[^1].Header("X-Claude-Code-Session-Id"));
                Assert.NotEqual(victimCliId, (await SessionApi.GetAsync(before.Http, attacker)).GetProperty("cli_session_id").GetString());
            }

            await SessionApi.SayAsync(before.Http, "victim", "Still there?");
            Assert.Equal(["The victim's secret is 42.", "Still there?"], upstream.MessageRequests[^1].UserTexts);
        }

        // After a restart each conversation resumes its own CLI session, read from its record.
        await using var after = await gateways.StartAsync();
        await SessionApi.SayAsync(after.Http, victimCliId, "And now?");
        Assert.Equal(["What is the secret?", "And now?"], upstream.MessageRequests[^1].UserTexts);
        await SessionApi.SayAsync(after.Http, "victim", "And you?");
        Assert.Equal(["The victim's secret is 42.", "Still there?", "And you?"], upstream.MessageRequests[^1].UserTexts);
        Assert.Equal(victimCliId, upstream.MessageRequests[^1].Header("X-Claude-Code-Session-Id"));
        Assert.Equal(victimCliId, (await SessionApi.GetAsync(after.Http, "victim")).GetProperty("cli_session_id").GetString());
    }
}
