using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>Conversations by id: a warm process per conversation, only the new message per turn, ids of any shape.</summary>
public sealed class SessionTurnTests
{
    [Fact]
    public async Task Later_turns_by_id_reuse_the_warm_process_and_the_upstream_sees_the_history_as_messages()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var chat = gateway.OpenAiChat("sonnet", "project-alpha/thread 7");

        ChatCompletion first = await chat.CompleteChatAsync([new UserChatMessage("My name is Alice.")]);
        ChatCompletion second = await chat.CompleteChatAsync([new UserChatMessage("What is my name?")]);
        ChatCompletion third = await chat.CompleteChatAsync([new UserChatMessage("And again?")]);

        Assert.Equal("echo: My name is Alice.", first.Content[0].Text);
        Assert.Equal("echo: What is my name?", second.Content[0].Text);
        Assert.Equal("echo: And again?", third.Content[0].Text);
        var last = upstream.MessageRequests[^1];
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], last.MessageRoles);
        Assert.Equal(["My name is Alice.", "What is my name?", "And again?"], last.UserTexts);
        Assert.Single(upstream.MessageRequests.Select(r => r.Header("X-Claude-Code-Session-Id")).Distinct());

        var session = await SessionApi.GetAsync(gateway.Http, "project-alpha/thread 7");
        Assert.Equal(1, session.GetProperty("process").GetProperty("starts").GetInt32());
        Assert.True(session.GetProperty("process").GetProperty("warm").GetBoolean());
        Assert.Equal(3, session.GetProperty("turns").GetInt32());
        Assert.True(Guid.TryParse(session.GetProperty("cli_session_id").GetString(), out _));
    }

    [Fact]
    public async Task The_id_comes_back_in_a_header_and_in_the_body_and_the_CLI_knows_it_by_a_random_uuid()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = SessionApi.Json("""{"messages":[{"role":"user","content":"hi"}]}"""),
        };
        request.Headers.Add("X-Session-Id", "user:42");

        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal("user:42", response.Headers.GetValues("X-Session-Id").Single());
        Assert.Equal("user:42", (await Sse.JsonAsync(response)).GetProperty("session_id").GetString());
        var cliId = (await SessionApi.GetAsync(gateway.Http, "user:42")).GetProperty("cli_session_id").GetString();
        Assert.True(Guid.TryParse(cliId, out var uuid));
        Assert.Equal(4, uuid.Version);
        Assert.Equal(cliId, upstream.MessageRequests[0].Header("X-Claude-Code-Session-Id"));
    }

    [Fact]
    public async Task A_bad_session_id_is_a_400()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, JsonSerializer.Serialize(new
        {
            session_id = new string('x', 300),
            messages = new[] { new { role = "user", content = "hi" } },
        }));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("session_id", (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task The_system_prompt_is_fixed_when_the_conversation_starts_and_a_later_one_is_ignored_with_a_header()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var first = await SessionApi.PostAsync(gateway.Http, "s1", "hello", system: "Speak French.");
        using var same = await SessionApi.PostAsync(gateway.Http, "s1", "again", system: "Speak French.");
        using var other = await SessionApi.PostAsync(gateway.Http, "s1", "more", system: "Speak German.");

        Assert.False(first.Headers.Contains("X-Session-System-Prompt"));
        Assert.False(same.Headers.Contains("X-Session-System-Prompt"));
        Assert.Equal("ignored", other.Headers.GetValues("X-Session-System-Prompt").Single());
        var body = upstream.MessageRequests[^1].Body.GetRawText();
        Assert.Contains("Speak French.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Speak German.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_requests_for_one_conversation_are_answered_one_after_another_in_arrival_order()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Responder = request => request.LastUserText == "message 1"
            ? FakeReply.Gated("echo: ", "message 1", gate)
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "busy", "warm up");

        var first = SessionApi.SayAsync(gateway.Http, "busy", "message 1");
        await gate.WaitUntilReachedAsync(Sse.Generous);
        var conversations = gateway.Get<ClaudeActors.Conversations.ConversationClient>();
        var second = SessionApi.SayAsync(gateway.Http, "busy", "message 2");
        await Eventually.TrueAsync(async () => (await conversations.GetAsync("busy", default)).WaitingTurns == 1, "message 2 waits behind message 1");
        var third = SessionApi.SayAsync(gateway.Http, "busy", "message 3");
        await Eventually.TrueAsync(async () => (await conversations.GetAsync("busy", default)).WaitingTurns == 2, "message 3 waits behind message 2");

        // While the first turn is held, the others wait their turn instead of reaching the upstream.
        Assert.Equal(2, upstream.MessageRequests.Count);
        gate.Release();

        Assert.Equal(["echo: message 1", "echo: message 2", "echo: message 3"], await Task.WhenAll(first, second, third));
        Assert.Equal(["warm up", "message 1", "message 2", "message 3"], upstream.MessageRequests[^1].UserTexts);
        Assert.Equal(4, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task Different_conversations_run_in_parallel()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Responder = request => FakeReply.Gated("held ", request.LastUserText ?? "", gate);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Workers:MaxConcurrency"] = "2");

        var a = SessionApi.SayAsync(gateway.Http, "a", "for a");
        var b = SessionApi.SayAsync(gateway.Http, "b", "for b");
        await upstream.WaitForOpenStreamsAsync(2, Sse.Generous);
        gate.Release();

        Assert.Equal("held for a", await a);
        Assert.Equal("held for b", await b);
    }

    [Fact]
    public async Task A_new_id_with_a_history_starts_the_conversation_from_that_history()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, """
            {"session_id":"seeded","messages":[{"role":"user","content":"I like tea."},{"role":"assistant","content":"Noted."},{"role":"user","content":"What do I like?"}]}
            """);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(["user", "assistant", "user"], upstream.MessageRequests[^1].MessageRoles);
        Assert.Equal(["I like tea.", "What do I like?"], upstream.MessageRequests[^1].UserTexts);
    }
}
