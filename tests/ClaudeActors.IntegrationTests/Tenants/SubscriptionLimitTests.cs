using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Server.Usage;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Tenants;

/// <summary>
/// The CLI's <c>rate_limit_event</c> reaches the client as headers and is kept for the status page, with the real CLI:
/// it sends that event to subscription logins (an OAuth token), from the upstream's <c>anthropic-ratelimit-unified-*</c>
/// headers; to an API-key session it sends none, whatever the headers.
/// </summary>
public sealed class SubscriptionLimitTests
{
    [Fact]
    public async Task The_subscriptions_rate_limit_state_reaches_the_client_as_headers_and_is_kept_for_the_status_page()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("ok")
            .WithHeader("anthropic-ratelimit-unified-status", "allowed_warning")
            .WithHeader("anthropic-ratelimit-unified-reset", "1893456000")
            .WithHeader("anthropic-ratelimit-unified-representative-claim", "five_hour")
            .WithHeader("anthropic-ratelimit-unified-5h-status", "allowed_warning")
            .WithHeader("anthropic-ratelimit-unified-5h-reset", "1893456000")
            .WithHeader("anthropic-ratelimit-unified-5h-utilization", "0.91")
            .WithHeader("anthropic-ratelimit-unified-5h-surpassed-threshold", "0.9");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            // A subscription login instead of the API key (an empty one is none to the CLI).
            s["ClaudeActors:Cli:Environment:ANTHROPIC_API_KEY"] = "";
            s["ClaudeActors:Cli:Environment:CLAUDE_CODE_OAUTH_TOKEN"] = "sk-ant-oat01-fake-subscription-token";
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

        // A stream's headers go out before the CLI reports this turn's state: they carry the latest one heard.
        upstream.DefaultReply = upstream.DefaultReply with
        {
            Headers = [.. upstream.DefaultReply.Headers.Where(h => h.Key != "anthropic-ratelimit-unified-5h-utilization"), new("anthropic-ratelimit-unified-5h-utilization", "0.95")],
        };
        using var streamed = await Sse.PostAsync(
            gateway.Http, """{"session_id":"limits","stream":true,"messages":[{"role":"user","content":"again"}]}""", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("0.91", streamed.Headers.GetValues(SubscriptionLimits.UtilizationHeader).Single());
        Assert.Contains("[DONE]", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0.95, gateway.Get<SubscriptionLimits>().Latest!.Limit.Utilization);
    }
}
