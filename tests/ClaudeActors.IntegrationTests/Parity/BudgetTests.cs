using System.Net;
using System.Text;
using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Parity;

/// <summary>
/// The per-request spending cap end to end (the CLI's <c>--max-budget-usd</c>): the fake upstream reports usage that
/// costs more than the cap, the real CLI ends the turn with <c>error_max_budget_usd</c>, and the client gets 429
/// <c>insufficient_quota</c> / <c>max_budget_exceeded</c> without <c>Retry-After</c>.
/// </summary>
public sealed class BudgetTests
{
    /// <summary>Two million output tokens: dollars at any model's price, far past the caps below.</summary>
    private static readonly FakeReply Expensive = FakeReply.Text("An expensive answer.", usage: new FakeUsage(10, 2_000_000));

    private static Task<HttpResponseMessage> PostAsync(TestGateway gateway, string path, string json, string? session = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (session is not null)
        {
            request.Headers.Add("X-Session-Id", session);
        }

        return gateway.Http.SendAsync(request);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_request_over_its_own_cap_gets_429_max_budget_exceeded(bool autoSessions)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = Expensive;
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Sessions:AutoSessions"] = autoSessions.ToString());

        using var response = await PostAsync(gateway, "v1/chat/completions", """{"model":"sonnet","max_budget_usd":0.0001,"messages":[{"role":"user","content":"Hello"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, body);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("insufficient_quota", error.GetProperty("type").GetString());
        Assert.Equal("max_budget_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("0.0001", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Retry-After"));

        // Not retried: the supervisor treats it as final, so the upstream saw one call.
        Assert.Single(upstream.MessageRequests);
    }

    [Fact]
    public async Task A_streamed_request_over_its_cap_ends_with_the_error_event()
    {
        // The CLI checks the cap after the upstream call: its text has streamed, then the turn ends in the error.
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = Expensive;
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, "v1/chat/completions", """{"model":"sonnet","stream":true,"max_budget_usd":0.0001,"messages":[{"role":"user","content":"Hello"}]}""");
        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var last = JsonDocument.Parse(data[^1]).RootElement;
        Assert.Equal("max_budget_exceeded", last.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("[DONE]", data);
    }

    [Fact]
    public async Task The_configured_cap_applies_to_the_messages_api_in_its_error_shape()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = Expensive;
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Cli:MaxBudgetUsd"] = "0.0001");

        using var response = await PostAsync(gateway, "v1/messages", """{"model":"sonnet","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, body);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Contains("spending cap", root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
    }

    [Fact]
    public async Task A_request_under_its_cap_is_answered()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Cli:MaxBudgetUsd"] = "0.0001");

        // The request's own cap wins over the configured one.
        using var response = await PostAsync(gateway, "v1/chat/completions", """{"model":"sonnet","max_budget_usd":5,"messages":[{"role":"user","content":"Hello"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains(FakeReply.DefaultText, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_capped_turn_of_a_conversation_has_the_whole_cap()
    {
        // The CLI counts --max-budget-usd across a process's turns; each turn here costs about 0.00007 USD, so a
        // process kept between turns would refuse the third under a cap of 0.00015.
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var session = "budget-" + Guid.NewGuid().ToString("N");

        for (var turn = 1; turn <= 3; turn++)
        {
            using var response = await PostAsync(
                gateway, "v1/chat/completions", $$"""{"model":"sonnet","max_budget_usd":0.00015,"messages":[{"role":"user","content":"Turn {{turn}}"}]}""", session);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"turn {turn}: {body}");
        }

        // The conversation went on: the upstream saw the earlier turns as history.
        Assert.Equal(["Turn 1", "Turn 2", "Turn 3"], upstream.MessageRequests[^1].UserTexts);
    }

    [Theory]
    [InlineData("v1/chat/completions", """{"model":"sonnet","max_budget_usd":0,"messages":[{"role":"user","content":"Hello"}]}""")]
    [InlineData("v1/responses", """{"model":"sonnet","max_budget_usd":"1","input":"Hello"}""")]
    [InlineData("v1/completions", """{"model":"sonnet","max_budget_usd":-2,"prompt":"Hello"}""")]
    public async Task A_bad_cap_is_a_400_naming_the_field(string path, string json)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, path, json);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("max_budget_usd", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(upstream.MessageRequests);
    }
}
