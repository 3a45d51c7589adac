using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Server.Health;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Health;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_reports_the_CLI_found_with_its_version()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await gateway.Get<CliProbe>().ProbeAsync(CancellationToken.None);

        using var health = await gateway.Http.GetAsync("health");
        using var ready = await gateway.Http.GetAsync("health/ready");

        var body = await Sse.JsonAsync(health);
        Assert.True(200 == (int)health.StatusCode && 200 == (int)ready.StatusCode, await ready.Content.ReadAsStringAsync());
        Assert.True(body.GetProperty("ready").GetBoolean());
        Assert.Contains("Claude Code", body.GetProperty("cli").GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, body.GetProperty("workers").GetProperty("max").GetInt32());
        Assert.Equal(200, (int)ready.StatusCode);
    }

    [Fact]
    public async Task Health_is_live_but_not_ready_without_the_CLI()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Cli:BinaryPath"] = "/nonexistent/claude");
        await gateway.Get<CliProbe>().ProbeAsync(CancellationToken.None);

        using var health = await gateway.Http.GetAsync("health");
        using var ready = await gateway.Http.GetAsync("health/ready");

        var body = await Sse.JsonAsync(health);
        Assert.Equal(200, (int)health.StatusCode);
        Assert.False(body.GetProperty("ready").GetBoolean());
        Assert.False(body.GetProperty("cli").GetProperty("found").GetBoolean());
        Assert.Equal(503, (int)ready.StatusCode);
    }
}
