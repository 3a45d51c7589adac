using ClaudeActors.Conversations;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>
/// Ids of any text in <c>X-Session-Id</c>: echoed percent-encoded (UTF-8), accepted percent-encoded, raw in the body;
/// and a turn whose response fails to start still ends, frees its worker and leaves its conversation usable.
/// </summary>
public sealed class SessionIdHeaderTests
{
    [Theory]
    [InlineData("café", "caf%C3%A9")]
    [InlineData("🦊 fox", "%F0%9F%A6%8A%20fox")]
    [InlineData("会话/一", "%E4%BC%9A%E8%AF%9D/%E4%B8%80")]
    [InlineData("100% sure", "100%25%20sure")]
    public async Task A_non_ASCII_id_is_echoed_percent_encoded_and_its_conversation_goes_on(string id, string encoded)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var streamed = await Sse.PostAsync(gateway.Http, Sse.Body(new
        {
            stream = true,
            session_id = id,
            messages = new[] { new { role = "user", content = "first" } },
        }));
        Assert.Equal(200, (int)streamed.StatusCode);
        Assert.Equal(encoded, streamed.Headers.GetValues("X-Session-Id").Single());
        var chunks = Sse.DataLines(await streamed.Content.ReadAsStringAsync()).SkipLast(1).Select(Sse.Json).ToList();
        Assert.NotEmpty(chunks);
        Assert.All(chunks, c => Assert.Equal(id, c.GetProperty("session_id").GetString()));

        // The second turn names the conversation by the header as it came back.
        using var plain = await Sse.PostWithHeaderAsync(gateway.Http, """{"messages":[{"role":"user","content":"second"}]}""", "X-Session-Id", encoded);
        var body = await Sse.JsonAsync(plain);
        Assert.Equal(200, (int)plain.StatusCode);
        Assert.Equal(encoded, plain.Headers.GetValues("X-Session-Id").Single());
        Assert.Equal(id, body.GetProperty("session_id").GetString());
        Assert.Equal("echo: second", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(["first", "second"], upstream.MessageRequests[^1].UserTexts);

        var session = await SessionApi.GetAsync(gateway.Http, id);
        Assert.Equal(2, session.GetProperty("turns").GetInt32());
        Assert.Equal(1, session.GetProperty("process").GetProperty("starts").GetInt32());
        await HealthApi.WorkersIdleAsync(gateway.Http);
        await AssertShutdownPassivatesAsync(gateway, upstream.BaseUrl, id);
    }

    [Theory]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("a%252Fb", "a%2Fb")]
    [InlineData("user:42", "user:42")]
    public async Task The_header_is_percent_decoded_once_and_names_the_same_conversation_as_the_body(string header, string id)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var body = Sse.Body(new { session_id = id, messages = new[] { new { role = "user", content = "hi" } } });

        using var response = await Sse.PostWithHeaderAsync(gateway.Http, body, "X-Session-Id", header);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(id, (await Sse.JsonAsync(response)).GetProperty("session_id").GetString());
    }

    [Theory]
    [InlineData("50%")]
    [InlineData("%zz")]
    [InlineData("%C3")]
    public async Task A_header_that_is_not_valid_percent_encoded_UTF8_is_a_400(string header)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostWithHeaderAsync(gateway.Http, """{"messages":[{"role":"user","content":"hi"}]}""", "X-Session-Id", header);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_session_id", (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(upstream.MessageRequests);
    }

    /// <summary>
    /// An exception while the response headers are written (as Kestrel threw for an id outside ASCII) is a 5xx, and the
    /// turn still ends (here one the upstream would hold open for ever), gives its worker back and leaves the
    /// conversation to its next turn.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failure_while_the_headers_are_written_frees_the_worker_and_the_conversation_goes_on(bool stream)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.LastUserText == "hold on"
            ? FakeReply.Hang("thinking", chunkCount: 1)
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, configureApp: HeaderFault.Install);
        var body = Sse.Body(new { stream, session_id = "fragile", messages = new[] { new { role = "user", content = "hold on" } } });

        using var failed = await Sse.PostWithHeaderAsync(gateway.Http, body, HeaderFault.Trigger, "X-Session-Id");

        Assert.True((int)failed.StatusCode >= 500, $"status {(int)failed.StatusCode}");
        await HealthApi.WorkersIdleAsync(gateway.Http);
        Assert.EndsWith("second", await SessionApi.SayAsync(gateway.Http, "fragile", "second"), StringComparison.Ordinal);
        Assert.Contains("hold on", upstream.MessageRequests[^1].Body.GetRawText(), StringComparison.Ordinal);
        await HealthApi.WorkersIdleAsync(gateway.Http);
        await AssertShutdownPassivatesAsync(gateway, upstream.BaseUrl, "fragile");
    }

    /// <summary>
    /// Stops the gateway: its shutdown passivates the conversation (so nothing held the conversation's entity), as the
    /// same data seen by the next start shows.
    /// </summary>
    private static async Task AssertShutdownPassivatesAsync(TestGateway gateway, Uri upstream, string id)
    {
        await gateway.App.StopAsync();
        await using var restarted = await TestGateway.StartAsync(
            upstream,
            settings =>
            {
                foreach (var (key, value) in gateway.Journal)
                {
                    settings[key] = value;
                }
            },
            root: gateway.Root);
        Assert.Equal("passivated", (await SessionApi.GetAsync(restarted.Http, id)).GetProperty("state").GetString());
    }
}
