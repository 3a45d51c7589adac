using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>Stateless clients that resend the whole history get the conversation's warm process, and only then.</summary>
public sealed class StatelessReuseTests
{
    [Fact]
    public async Task A_resent_history_continues_its_conversation_on_the_warm_process_with_only_the_new_message()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var first = await SessionApi.ResendAsync(gateway.Http, ("system", "Be brief."), ("user", "Hi, I am Bob."));
        var id = first.Headers.GetValues("X-Session-Id").Single();
        var answer1 = await AnswerAsync(first);
        using var second = await SessionApi.ResendAsync(gateway.Http,
            ("system", "Be brief."), ("user", "Hi, I am Bob."), ("assistant", answer1), ("user", "Who am I?"));
        var answer2 = await AnswerAsync(second);
        using var third = await SessionApi.ResendAsync(gateway.Http,
            ("system", "Be brief."), ("user", "Hi, I am Bob."), ("assistant", answer1), ("user", "Who am I?"),
            ("assistant", answer2), ("user", "Sure?"));

        Assert.Equal(id, second.Headers.GetValues("X-Session-Id").Single());
        Assert.Equal(id, third.Headers.GetValues("X-Session-Id").Single());
        var session = await SessionApi.GetAsync(gateway.Http, id);
        Assert.Equal(1, session.GetProperty("process").GetProperty("starts").GetInt32());
        Assert.Equal(3, session.GetProperty("turns").GetInt32());
        Assert.Equal("auto", session.GetProperty("origin").GetString());

        // The CLI got only the new message each time: its own history made up the rest, as real messages.
        var last = upstream.MessageRequests[^1];
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], last.MessageRoles);
        Assert.Equal("Sure?", last.LastUserText);
        Assert.Equal(3, upstream.MessageRequests.Count);
    }

    private static async Task<string> AnswerAsync(HttpResponseMessage response) =>
        (await Sse.JsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

    [Fact]
    public async Task An_edited_history_is_a_different_conversation_and_never_reaches_the_warm_process()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var first = await SessionApi.ResendAsync(gateway.Http, ("user", "Hi, I am Bob."));
        var id = first.Headers.GetValues("X-Session-Id").Single();
        using var edited = await SessionApi.ResendAsync(gateway.Http,
            ("user", "Hi, I am Bob."), ("assistant", "Hello Robert, edited by the client."), ("user", "Who am I?"));
        using var dropped = await SessionApi.ResendAsync(gateway.Http, ("user", "Who am I?"));

        var editedId = edited.Headers.GetValues("X-Session-Id").Single();
        Assert.NotEqual(id, editedId);
        Assert.NotEqual(id, dropped.Headers.GetValues("X-Session-Id").Single());
        Assert.Equal(1, (await SessionApi.GetAsync(gateway.Http, id)).GetProperty("turns").GetInt32());

        // The edited conversation starts from the client's version of the history, not the server's.
        var request = upstream.MessageRequests[1];
        Assert.Equal(["user", "assistant", "user"], request.MessageRoles);
        Assert.Contains("Hello Robert, edited by the client.", request.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("echo: Hi, I am Bob.", request.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_clients_resending_the_same_history_at_once_never_share_a_conversation()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Responder = request => request.LastUserText == "go on" ? FakeReply.Gated("echo: ", "go on", gate) : FakeReply.Text("echo: " + request.LastUserText);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        using var first = await SessionApi.ResendAsync(gateway.Http, ("user", "start"));

        var a = SessionApi.ResendAsync(gateway.Http, ("user", "start"), ("assistant", "echo: start"), ("user", "go on"));
        await gate.WaitUntilReachedAsync(Sse.Generous);
        var b = SessionApi.ResendAsync(gateway.Http, ("user", "start"), ("assistant", "echo: start"), ("user", "go on"));
        await upstream.WaitForOpenStreamsAsync(2, Sse.Generous);
        gate.Release();
        using var ra = await a;
        using var rb = await b;

        Assert.NotEqual(ra.Headers.GetValues("X-Session-Id").Single(), rb.Headers.GetValues("X-Session-Id").Single());
    }

    [Fact]
    public async Task With_auto_sessions_off_every_stateless_request_gets_a_fresh_process()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Sessions:AutoSessions"] = "false");

        using var first = await SessionApi.ResendAsync(gateway.Http, ("user", "one"));
        using var second = await SessionApi.ResendAsync(gateway.Http, ("user", "one"), ("assistant", "echo: one"), ("user", "two"));

        Assert.False(first.Headers.Contains("X-Session-Id"));
        Assert.Equal(["one", "two"], upstream.MessageRequests[1].UserTexts);
        Assert.NotEqual(upstream.MessageRequests[0].Header("X-Claude-Code-Session-Id"), upstream.MessageRequests[1].Header("X-Claude-Code-Session-Id"));
        using var list = await gateway.Http.GetAsync("v1/sessions");
        Assert.Equal(0, (await Sse.JsonAsync(list)).GetProperty("data").GetArrayLength());
    }
}
