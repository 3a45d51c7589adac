using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Health;

/// <summary>
/// The ASP.NET Core health checks: <c>/health/live</c> stays 200 while the server runs, <c>/health/ready</c> turns 503
/// when the journal cannot be written (and 200 again once it can), and reports this node's cluster membership.
/// </summary>
public sealed class HealthCheckTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Readiness_turns_503_while_the_journal_is_unreachable_and_liveness_stays_200(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-checks-", sqliteFolder: "journal");
        var fault = BrokenJournal.For(gateways.Database);
        await using var gateway = await gateways.StartAsync();
        await HealthApi.ProbeCliAsync(gateway);

        var (status, body) = await HealthApi.ReadyAsync(gateway);
        Assert.True(status == 200, body.ToString());
        Assert.True(body.GetProperty("cluster").GetProperty("ok").GetBoolean());
        Assert.Equal(200, await LiveAsync(gateway.Http));

        await fault.BreakAsync();
        try
        {
            (status, body) = await HealthApi.ReadyAsync(gateway);
            Assert.Equal(503, status);
            Assert.False(body.GetProperty("journal").GetProperty("ok").GetBoolean());
            Assert.True(body.GetProperty("cli").GetProperty("found").GetBoolean());
            Assert.True(body.GetProperty("cluster").GetProperty("ok").GetBoolean());
            Assert.Equal(200, await LiveAsync(gateway.Http));
        }
        finally
        {
            await fault.RepairAsync();
        }

        (status, body) = await HealthApi.ReadyAsync(gateway);
        Assert.True(status == 200, body.ToString());
    }

    private static async Task<int> LiveAsync(HttpClient http)
    {
        using var live = await http.GetAsync("health/live");
        return (int)live.StatusCode;
    }
}
