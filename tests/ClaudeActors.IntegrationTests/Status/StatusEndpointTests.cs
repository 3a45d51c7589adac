using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.Status;

/// <summary><c>GET /v1/status</c> and <c>GET /</c> on a real gateway, with real turns through the pinned CLI.</summary>
public sealed class StatusEndpointTests
{
    [Fact]
    public async Task Status_shows_a_real_turn_a_refused_request_the_workers_and_this_node_and_not_its_own_polls()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("Hello from the fake upstream");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Workers:MaxConcurrency"] = "3";
            s["ClaudeActors:Workers:MaxQueueLength"] = "7";
            s["ClaudeActors:Processes:Standby"] = "1";
        });

        var empty = await StatusApi.GetAsync(gateway);
        Assert.Equal("status", empty.GetProperty("object").GetString());
        Assert.Equal(0, empty.GetProperty("requests").GetProperty("total").GetInt64());

        ChatCompletion answer = await gateway.OpenAiChat("sonnet").CompleteChatAsync([new UserChatMessage("Say hello")]);
        Assert.Equal("Hello from the fake upstream", answer.Content[0].Text);
        using var bad = await Sse.PostAsync(gateway.Http, """{"model":"sonnet"}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badError = (await Sse.JsonAsync(bad)).GetProperty("error");

        var status = await StatusApi.GetAsync(gateway);
        var workers = status.GetProperty("workers");
        Assert.Equal(3, workers.GetProperty("max").GetInt32());
        Assert.Equal(7, workers.GetProperty("max_queue").GetInt32());
        Assert.Equal(0, workers.GetProperty("busy").GetInt32());
        Assert.Equal(1, status.GetProperty("processes").GetProperty("standby_target").GetInt32());
        Assert.Equal(16, status.GetProperty("processes").GetProperty("warm_cap").GetInt32());

        var requests = status.GetProperty("requests");
        Assert.Equal(2, requests.GetProperty("total").GetInt64());
        Assert.Equal(1, requests.GetProperty("failed").GetInt64());
        var recent = requests.GetProperty("recent").EnumerateArray().ToList();
        Assert.Equal(2, recent.Count);
        Assert.All(recent, r => Assert.Equal("/v1/chat/completions", r.GetProperty("path").GetString()));
        Assert.Equal(400, recent[0].GetProperty("status").GetInt32());
        Assert.Equal(badError.GetProperty("code").ValueKind == JsonValueKind.String ? badError.GetProperty("code").GetString() : badError.GetProperty("type").GetString(),
            recent[0].GetProperty("error_code").GetString());
        var turn = recent[1];
        Assert.Equal(200, turn.GetProperty("status").GetInt32());
        Assert.Equal("POST", turn.GetProperty("method").GetString());
        Assert.True(turn.GetProperty("latency_ms").GetDouble() > 0);
        Assert.True(turn.GetProperty("first_byte_ms").GetDouble() <= turn.GetProperty("latency_ms").GetDouble());
        Assert.True(recent[0].GetProperty("seq").GetInt64() > turn.GetProperty("seq").GetInt64());

        var error = Assert.Single(status.GetProperty("errors").EnumerateArray(), e => e.GetProperty("source").GetString() == "request");
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Equal(badError.GetProperty("message").GetString(), error.GetProperty("message").GetString());
        Assert.Equal("POST /v1/chat/completions", error.GetProperty("where").GetString());

        var cluster = status.GetProperty("cluster");
        var self = Assert.Single(cluster.GetProperty("members").EnumerateArray());
        Assert.True(self.GetProperty("self").GetBoolean());
        Assert.Equal("Up", self.GetProperty("status").GetString());
        Assert.Equal(cluster.GetProperty("self").GetString(), self.GetProperty("address").GetString());
        Assert.Equal(status.GetProperty("node").GetString(), cluster.GetProperty("self").GetString());

        // The turn made a conversation (stateless clients get sessions): the index knows it, its entity lives here.
        await Eventually.TrueAsync(
            async () =>
            {
                var conversations = (await StatusApi.GetAsync(gateway)).GetProperty("conversations");
                return conversations.GetProperty("total").GetInt32() == 1 && conversations.GetProperty("live").GetInt32() == 1
                    && conversations.GetProperty("index_caught_up").GetBoolean();
            },
            "the status shows the conversation in the index and live on this node");

        // Its own polls and health probes are not listed.
        using (await gateway.Http.GetAsync("health"))
        {
        }

        Assert.Equal(2, (await StatusApi.GetAsync(gateway)).GetProperty("requests").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Status_shows_an_upstream_rate_limit_as_a_429_with_its_retry_after_and_the_servers_warning()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.RateLimited("Slow down please");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Retry:MaxRetries"] = "0");

        using var limited = await Sse.PostAsync(gateway.Http, """{"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(429, (int)limited.StatusCode);

        var status = await StatusApi.GetAsync(gateway);
        var limits = status.GetProperty("rate_limits");
        Assert.False(limits.GetProperty("refusing").GetBoolean());
        Assert.Equal(1, limits.GetProperty("limited_last_minute").GetInt32());
        var last = limits.GetProperty("last_limited");
        Assert.Equal("rate_limit_exceeded", last.GetProperty("error_code").GetString());
        Assert.Equal(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), last.GetProperty("retry_after").GetString());

        var errors = status.GetProperty("errors").EnumerateArray().ToList();
        var request = Assert.Single(errors, e => e.GetProperty("source").GetString() == "request");
        Assert.Contains("Slow down please", request.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("rate_limit_exceeded", request.GetProperty("code").GetString());

        // The supervisor logged the failed turn as a warning; the log's line is listed with its category.
        await Eventually.TrueAsync(
            async () => (await StatusApi.GetAsync(gateway)).GetProperty("errors").EnumerateArray().Any(e =>
                e.GetProperty("source").GetString() == "log" && e.GetProperty("level").GetString() == "warning"
                && e.GetProperty("where").GetString()!.Contains("TurnSupervisor", StringComparison.Ordinal)
                && e.GetProperty("message").GetString()!.Contains("RateLimited", StringComparison.Ordinal)),
            "the supervisor's warning is among the errors");
    }

    [Fact]
    public async Task The_page_is_self_contained_and_its_policy_allows_exactly_its_own_script_and_style()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var page = await gateway.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.True(page.Headers.CacheControl!.NoStore);
        var html = await page.Content.ReadAsStringAsync();
        Assert.All(Regex.Matches(html, @"(?:src|href|action)\s*=\s*[""']?([^""'\s>]*)", RegexOptions.IgnoreCase), m => Assert.StartsWith("data:", m.Groups[1].Value, StringComparison.Ordinal));
        Assert.DoesNotContain("//", Regex.Replace(html, "<script>.*?</script>|<style>.*?</style>", string.Empty, RegexOptions.Singleline), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"recent-requests\"", html, StringComparison.Ordinal);

        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        var script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains($"script-src 'sha256-{Sha256(script)}';", policy, StringComparison.Ordinal);
        Assert.Contains($"style-src 'sha256-{Sha256(style)}';", policy, StringComparison.Ordinal);

        // A page load is not a request the page lists.
        Assert.Equal(0, (await StatusApi.GetAsync(gateway)).GetProperty("requests").GetProperty("total").GetInt64());
    }

    private static string Sha256(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
