using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>
/// A turn sent again with the same <c>Idempotency-Key</c> (after a lost answer, a 502 or a node that left) is answered
/// from the journal: nothing runs, nothing is stored twice.
/// </summary>
public sealed class IdempotentTurnTests
{
    [Fact]
    public async Task A_resend_with_the_same_key_replays_the_stored_turn_and_a_reused_key_is_refused()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using (var first = await SendAsync(gateway, "idem", "hello", "turn-1", stream: false))
        {
            Assert.Equal(200, (int)first.StatusCode);
            Assert.False(first.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal("echo: hello", (await Sse.JsonAsync(first)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        var requests = upstream.MessageRequests.Count;
        using (var again = await SendAsync(gateway, "idem", "hello", "turn-1", stream: false))
        {
            Assert.Equal(200, (int)again.StatusCode);
            Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
            var body = await Sse.JsonAsync(again);
            Assert.Equal("echo: hello", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        }

        using (var streamed = await SendAsync(gateway, "idem", "hello", "turn-1", stream: true))
        {
            Assert.Equal("true", streamed.Headers.GetValues("Idempotent-Replayed").Single());
            var data = Sse.DataLines(await streamed.Content.ReadAsStringAsync());
            Assert.Equal("[DONE]", data[^1]);
            Assert.Contains(data.SkipLast(1).Select(Sse.Json), c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.GetString() == "echo: hello");
        }

        Assert.Equal(requests, upstream.MessageRequests.Count);
        await SessionApi.AssertTurnsAsync(gateway.Http, "idem", 1);

        using (var reused = await SendAsync(gateway, "idem", "something else", "turn-1", stream: false))
        {
            Assert.Equal(409, (int)reused.StatusCode);
            Assert.Equal("idempotency_key_reused", (await Sse.JsonAsync(reused)).GetProperty("error").GetProperty("code").GetString());
        }

        using (var bad = await SendAsync(gateway, "idem", "hello", "has space", stream: false))
        {
            Assert.Equal(400, (int)bad.StatusCode);
            Assert.Equal("invalid_idempotency_key", (await Sse.JsonAsync(bad)).GetProperty("error").GetProperty("code").GetString());
        }

        // A new key is a new turn, with the history.
        using (var next = await SendAsync(gateway, "idem", "and then?", "turn-2", stream: false))
        {
            Assert.Equal(200, (int)next.StatusCode);
        }

        Assert.Equal(["hello", "and then?"], upstream.MessageRequests[^1].UserTexts);
        await SessionApi.AssertTurnsAsync(gateway.Http, "idem", 2);
    }

    [Fact]
    public async Task A_resend_while_the_turn_still_runs_waits_for_it_and_is_replayed()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Responder = request => request.LastUserText == "slow"
            ? FakeReply.Gated("Slow ", "answer.", gate)
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "idem-running", "hello");

        var first = SendAsync(gateway, "idem-running", "slow", "k-slow", stream: false);
        await upstream.WaitForMessageRequestAsync(2, Sse.Generous);
        var resend = SendAsync(gateway, "idem-running", "slow", "k-slow", stream: false);
        await Eventually.TrueAsync(
            async () => (await gateway.Get<ClaudeActors.Conversations.ConversationClient>().GetAsync("idem-running", CancellationToken.None)).WaitingTurns == 1,
            "the resend waits behind the running turn");
        gate.Release();

        using var answered = await first.WaitAsync(Sse.Generous);
        using var replayed = await resend.WaitAsync(Sse.Generous);
        Assert.Equal(200, (int)answered.StatusCode);
        Assert.Equal(200, (int)replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("Slow answer.", (await Sse.JsonAsync(replayed)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, upstream.MessageRequests.Count);
        await SessionApi.AssertTurnsAsync(gateway.Http, "idem-running", 2);
    }

    [Fact]
    public async Task A_resend_of_a_turn_stored_as_interrupted_runs_again_under_its_key_and_is_then_replayed()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var cut = 0;
        upstream.Responder = request => request.LastUserText?.EndsWith("long story", StringComparison.Ordinal) == true
            ? Interlocked.Exchange(ref cut, 1) == 0 ? FakeReply.Hang("Once upon a time", chunkCount: 1) : FakeReply.Text("The whole story.")
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "idem-cut", "hello");

        await ClientInterrupt.LeaveMidStreamAsync(upstream, 2, token => SendAsync(gateway, "idem-cut", "long story", "k-story", stream: true, token));

        await Eventually.TrueAsync(() => SessionApi.GetAsync(gateway.Http, "idem-cut").Result.GetProperty("turns").GetInt32() == 2, "the interrupted turn was recorded");

        // The client never had that answer: its resend runs the turn again (nothing partial is replayed as an answer).
        using (var again = await SendAsync(gateway, "idem-cut", "long story", "k-story", stream: false))
        {
            Assert.Equal(200, (int)again.StatusCode);
            Assert.False(again.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal("The whole story.", (await Sse.JsonAsync(again)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        // Once answered, the key is the answered turn's: a further resend is replayed, and runs nothing.
        var requests = upstream.MessageRequests.Count;
        using (var replayed = await SendAsync(gateway, "idem-cut", "long story", "k-story", stream: false))
        {
            Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal("The whole story.", (await Sse.JsonAsync(replayed)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        // The model saw the interrupted attempt and is told it was interrupted, as when a CLI user interrupts and asks again.
        Assert.Contains("[Request interrupted by user]", upstream.MessageRequests[^1].Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(requests, upstream.MessageRequests.Count);
        var history = (await SessionApi.GetAsync(gateway.Http, "idem-cut")).GetProperty("history").EnumerateArray().Select(t => t.GetProperty("status").GetString()).ToList();
        Assert.Equal(["completed", "interrupted", "completed"], history);
    }

    [Fact]
    public async Task A_resend_of_a_turn_that_ended_in_tool_calls_replays_its_calls_and_so_does_a_resent_continuation()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("Let me check.", FakeToolUse.Client("toolu_01", "get_weather", """{"city":"Paris"}""")));
        upstream.Enqueue(FakeReply.Text("Paris is sunny."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        object[] asked = [new { role = "user", content = "Weather in Paris?" }];

        string first;
        using (var call = await SendToolsAsync(gateway, asked, "k-call", stream: false))
        {
            Assert.Equal(200, (int)call.StatusCode);
            first = await call.Content.ReadAsStringAsync();
        }

        using (var again = await SendToolsAsync(gateway, asked, "k-call", stream: false))
        {
            Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
            var choice = (await Sse.JsonAsync(again)).GetProperty("choices")[0];
            Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
            Assert.Equal("Let me check.", choice.GetProperty("message").GetProperty("content").GetString());
            var replayedCall = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
            Assert.Equal("toolu_01", replayedCall.GetProperty("id").GetString());
            Assert.Equal("get_weather", replayedCall.GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("Paris", JsonDocument.Parse(replayedCall.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        }

        using (var streamed = await SendToolsAsync(gateway, asked, "k-call", stream: true))
        {
            var chunks = Sse.DataLines(await streamed.Content.ReadAsStringAsync()).SkipLast(1).Select(Sse.Json).ToList();
            Assert.Contains(chunks, c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("tool_calls", out var calls)
                && calls[0].TryGetProperty("id", out var id) && id.GetString() == "toolu_01");
            Assert.Contains(chunks, c => c.GetProperty("choices")[0].TryGetProperty("finish_reason", out var reason) && reason.GetString() == "tool_calls");
        }

        var assistant = JsonDocument.Parse(first).RootElement.GetProperty("choices")[0].GetProperty("message");
        object[] answered = [.. asked, assistant, new { role = "tool", tool_call_id = "toolu_01", content = "22C and sunny" }];
        using (var continued = await SendToolsAsync(gateway, answered, "k-result", stream: false))
        {
            Assert.Equal("Paris is sunny.", (await Sse.JsonAsync(continued)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        using (var resent = await SendToolsAsync(gateway, answered, "k-result", stream: false))
        {
            Assert.Equal("true", resent.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal("Paris is sunny.", (await Sse.JsonAsync(resent)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }

        object[] otherResult = [.. asked, assistant, new { role = "tool", tool_call_id = "toolu_01", content = "rain" }];
        using (var reused = await SendToolsAsync(gateway, otherResult, "k-result", stream: false))
        {
            Assert.Equal(409, (int)reused.StatusCode);
        }

        Assert.Equal(2, upstream.MessageRequests.Count);
        await SessionApi.AssertTurnsAsync(gateway.Http, "idem-tools", 2);
    }

    private static Task<HttpResponseMessage> SendToolsAsync(TestGateway gateway, object[] messages, string key, bool stream)
    {
        var tools = new[]
        {
            new { type = "function", function = new { name = "get_weather", description = "The weather in a city", parameters = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement } },
        };
        var body = JsonSerializer.Serialize(new { session_id = "idem-tools", stream, tools, messages });
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = SessionApi.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return gateway.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendAsync(TestGateway gateway, string sessionId, string text, string key, bool stream, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new { session_id = sessionId, stream, messages = new[] { new { role = "user", content = text } } });
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = SessionApi.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return gateway.Http.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
    }
}
