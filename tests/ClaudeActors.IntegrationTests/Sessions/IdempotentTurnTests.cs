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

    private static Task<HttpResponseMessage> SendAsync(TestGateway gateway, string sessionId, string text, string key, bool stream)
    {
        var body = JsonSerializer.Serialize(new { session_id = sessionId, stream, messages = new[] { new { role = "user", content = text } } });
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = SessionApi.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return gateway.Http.SendAsync(request);
    }
}
