using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Server.Usage;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Tenants;

/// <summary>
/// The CLI's <c>rate_limit_event</c> reaches the client as headers and is kept for the status page. The pinned CLI
/// sends that event only to subscription logins, never to an API-key session like the one against the fake upstream
/// (tried: the upstream's <c>anthropic-ratelimit-unified-*</c> headers do not make it send one), so a stand-in CLI
/// prints the line the real one prints.
/// </summary>
public sealed class SubscriptionLimitTests
{
    [Fact]
    public async Task The_subscriptions_rate_limit_state_reaches_the_client_as_headers_and_is_kept_for_the_status_page()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        const string RateLimit = """{"type":"rate_limit_event","rate_limit_info":{"status":"allowed_warning","resetsAt":1893456000,"rateLimitType":"five_hour","utilization":0.91},"uuid":"u","session_id":"s"}""";
        using var cli = FakeCliScript.Create($"head -n 1 > \"$STDIN_FILE\"; echo '{FakeCliScript.InitLine}'; echo '{RateLimit}'; echo '{FakeCliScript.SuccessResult("ok")}'");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:BinaryPath"] = cli.Path;
            s["ClaudeActors:Processes:Standby"] = "0";
        });

        using var before = await gateway.Http.GetAsync("v1/status");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await Sse.JsonAsync(before)).GetProperty("rate_limits").GetProperty("subscription").ValueKind);

        using var response = await SessionApi.PostAsync(gateway.Http, "limits", "hi");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("allowed_warning", response.Headers.GetValues(SubscriptionLimits.StatusHeader).Single());
        Assert.Equal("0.91", response.Headers.GetValues(SubscriptionLimits.UtilizationHeader).Single());
        Assert.Equal("1893456000", response.Headers.GetValues(SubscriptionLimits.ResetsAtHeader).Single());
        Assert.Equal("five_hour", response.Headers.GetValues(SubscriptionLimits.WindowHeader).Single());
        Assert.Equal("ok", (await Sse.JsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var latest = gateway.Get<SubscriptionLimits>().Latest;
        Assert.NotNull(latest);
        Assert.Equal(("allowed_warning", 0.91), (latest.Limit.Status, latest.Limit.Utilization));

        using var status = await gateway.Http.GetAsync("v1/status");
        var subscription = (await Sse.JsonAsync(status)).GetProperty("rate_limits").GetProperty("subscription");
        Assert.Equal("allowed_warning", subscription.GetProperty("status").GetString());
        Assert.Equal("five_hour", subscription.GetProperty("window").GetString());
        Assert.Equal(0.91, subscription.GetProperty("utilization").GetDouble());
        Assert.Equal(1893456000, subscription.GetProperty("resets_at").GetInt64());
    }
}
