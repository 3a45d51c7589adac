using System.ClientModel;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.Workers;

/// <summary>The supervisor retries what retrying can fix, and only that; the CLI does not retry on its own.</summary>
public sealed class RetryTests
{
    [Theory]
    [InlineData(529, "overloaded_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    public async Task A_transient_upstream_failure_is_retried_and_the_client_gets_the_answer(int status, string type)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Error(status, type, "try later"));
        upstream.Enqueue(FakeReply.Error(status, type, "try later"));
        upstream.Enqueue(FakeReply.Text("Third time lucky."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat().CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("Third time lucky.", completion.Content[0].Text);
        Assert.Equal(3, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task A_streamed_request_is_retried_while_nothing_was_sent()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Overloaded());
        upstream.Enqueue(FakeReply.Text("Streamed after a retry."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """{"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", data[^1]);
        Assert.DoesNotContain(data, d => d.Contains("\"error\"", StringComparison.Ordinal));
        Assert.Equal(2, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task Retries_stop_at_the_configured_count_and_the_failure_reaches_the_client()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.RateLimited("Slow down");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Retry:MaxRetries"] = "2");

        using var response = await Sse.PostAsync(gateway.Http, """{"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(429, (int)response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Contains("Slow down", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task An_upstream_failure_reaches_the_client_with_its_status_but_not_the_upstreams_address()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Error(500, "api_error", "Internal server error");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Retry:MaxRetries"] = "0");

        using var response = await Sse.PostAsync(gateway.Http, """{"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(502, (int)response.StatusCode);
        var message = (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("500", message, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.BaseUrl.Authority, message, StringComparison.Ordinal);
        Assert.DoesNotContain(upstream.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
        Assert.Contains(upstream.BaseUrl.Authority, gateway.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_key_is_not_retried_and_reaches_the_client_as_401()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Error(401, "authentication_error", "invalid x-api-key");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => gateway.OpenAiChat().CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, ex.Status);
        Assert.Contains("Invalid API key", ex.Message, StringComparison.Ordinal);
        Assert.Single(CliSessions(upstream));
    }

    [Fact]
    public async Task An_unknown_model_is_not_retried_and_reaches_the_client_as_404_model_not_found()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Error(404, "not_found_error", "model: claude-nope");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """{"model":"claude-nope","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(404, (int)response.StatusCode);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Single(CliSessions(upstream));
    }

    [Fact]
    public async Task A_CLI_that_is_not_logged_in_gives_401_without_retries()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:Environment:ANTHROPIC_API_KEY"] = "";
            s["ClaudeActors:Cli:Environment:HOME"] = Path.Combine(Path.GetTempPath(), "claude-actors-no-home-" + Guid.NewGuid().ToString("N"));
        });

        using var response = await Sse.PostAsync(gateway.Http, """{"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("Not logged in", (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(upstream.MessageRequests);
    }

    /// <summary>
    /// With sessions on the conversation's process answers, with them off a fresh one; streamed or not, with an earlier
    /// history or without. The failure comes before any text, so even a streamed request gets the HTTP status.
    /// </summary>
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    [InlineData(false, true, false)]
    public async Task A_prompt_too_long_for_the_model_is_not_retried_and_reaches_the_client_as_400_context_length_exceeded(bool sessions, bool stream, bool history)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.PromptTooLong(212_345, 200_000);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Sessions:AutoSessions"] = sessions.ToString());

        var earlier = history
            ? new[] { new { role = "user", content = "an earlier question" }, new { role = "assistant", content = "an earlier answer" } }
            : [];
        using var response = await Sse.PostAsync(gateway.Http, Sse.Body(new { stream, messages = earlier.Append(new { role = "user", content = "a very long prompt" }) }));

        Assert.Equal(400, (int)response.StatusCode);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("messages", error.GetProperty("param").GetString());
        Assert.Contains("too long", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Single(CliSessions(upstream));
    }

    [Fact]
    public async Task A_later_turn_of_a_conversation_that_outgrew_the_context_window_is_a_400_context_length_exceeded()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "long-talk", "first");
        await SessionApi.SayAsync(gateway.Http, "long-talk", "second");
        upstream.DefaultReply = FakeReply.PromptTooLong();

        using var response = await SessionApi.PostAsync(gateway.Http, "long-talk", "third");

        Assert.Equal(400, (int)response.StatusCode);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Single(CliSessions(upstream));
    }

    /// <summary>One per CLI run: the CLI itself may call the upstream more than once (it re-asks once on 404).</summary>
    private static HashSet<string?> CliSessions(FakeAnthropicServer upstream) =>
        [.. upstream.MessageRequests.Select(r => r.Header("X-Claude-Code-Session-Id"))];
}
