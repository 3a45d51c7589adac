using System.Diagnostics;
using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using Microsoft.Extensions.Hosting;

namespace ClaudeActors.IntegrationTests.Hosting;

/// <summary>
/// Stopping the server interrupts running turns instead of waiting for the model: a streaming client gets an error
/// event (503 <c>server_shutting_down</c> in the OpenAI shape), new requests get 503, and the process exits 0 promptly.
/// </summary>
public sealed class ShutdownTests
{
    /// <summary>Far below the 30 s the host used to wait for the held turn, far above what stopping takes.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(25);

    private const string StreamedTurn = """{"stream":true,"session_id":"talk","messages":[{"role":"user","content":"tell me"}]}""";

    [Fact]
    public async Task SIGTERM_while_a_turn_streams_ends_it_with_an_error_event_and_the_server_exits_0_promptly()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Enqueue(FakeReply.Gated("Before the gate. ", "never sent", gate));
        await using var server = await GatewayProcess.StartAsync(upstream.BaseUrl, Sse.Generous);
        using var response = await Sse.PostAsync(server.Http, StreamedTurn, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await ReadUntilTextAsync(reader, "Before the gate. ");
        var request = await upstream.WaitForMessageRequestAsync(1, Sse.Generous);

        var stopping = Stopwatch.StartNew();
        server.Terminate();
        var rest = await ReadToEndAsync(reader);
        var exitCode = await server.WaitForExitAsync(Prompt);

        Assert.True(exitCode == 0, $"exit code {exitCode} after {stopping.Elapsed}:\n{server.Output}");
        AssertShutdownError(Assert.Single(rest));
        Assert.Equal(FakeStreamOutcome.AbortedByClient, await upstream.WaitForOutcomeAsync(request, Sse.Generous));
        Assert.False(gate.IsReleased);
    }

    [Fact]
    public async Task While_the_server_stops_a_streaming_turn_ends_with_an_error_event_and_new_requests_get_503()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Enqueue(FakeReply.Gated("Before the gate. ", "never sent", gate));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        using var response = await Sse.PostAsync(gateway.Http, StreamedTurn, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await ReadUntilTextAsync(reader, "Before the gate. ");

        gateway.Get<IHostApplicationLifetime>().StopApplication();
        var rest = await ReadToEndAsync(reader);
        using var late = await Sse.PostAsync(gateway.Http, """{"messages":[{"role":"user","content":"too late"}]}""");

        AssertShutdownError(Assert.Single(rest));
        Assert.Equal(503, (int)late.StatusCode);
        Assert.Equal("server_shutting_down", (await Sse.JsonAsync(late)).GetProperty("error").GetProperty("code").GetString());
        Assert.Single(upstream.MessageRequests);

        // The interrupted turn is in the conversation's history, as a client that left would have left it.
        await Eventually.TrueAsync(
            async () => (await gateway.Get<ClaudeActors.Conversations.ConversationClient>().GetAsync("talk", default)).Record?.Turns == 1,
            "the interrupted turn was recorded");
    }

    private static void AssertShutdownError(string data)
    {
        var error = JsonDocument.Parse(data).RootElement.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("server_shutting_down", error.GetProperty("code").GetString());
    }

    private static async Task ReadUntilTextAsync(StreamReader reader, string text)
    {
        using var timeout = new CancellationTokenSource(Sse.Generous);
        while (await Sse.ReadEventAsync(reader, timeout.Token) is { } data)
        {
            var delta = JsonDocument.Parse(data).RootElement.GetProperty("choices")[0].GetProperty("delta");
            if (delta.TryGetProperty("content", out var content) && content.GetString() == text)
            {
                return;
            }
        }

        Assert.Fail($"The stream ended before '{text}'.");
    }

    private static async Task<List<string>> ReadToEndAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(Sse.Generous);
        var events = new List<string>();
        while (await Sse.ReadEventAsync(reader, timeout.Token) is { } data)
        {
            events.Add(data);
        }

        return events;
    }
}
