using System.Diagnostics;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>A client that goes away interrupts its turn; a process that dies is replaced from the journal.</summary>
public sealed class InterruptAndRecoveryTests
{
    [Fact]
    public async Task A_client_that_goes_away_interrupts_the_turn_and_the_warm_process_stays_usable()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.LastUserText == "tell a long story"
            ? FakeReply.Hang("Once upon a time", chunkCount: 1)
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "story", "hello");
        var pid = (await SessionApi.GetAsync(gateway.Http, "story")).GetProperty("process").GetProperty("pid").GetInt32();

        await ClientInterrupt.LeaveMidStreamAsync(
            upstream,
            2,
            token => Sse.PostAsync(gateway.Http, """{"session_id":"story","stream":true,"messages":[{"role":"user","content":"tell a long story"}]}""", HttpCompletionOption.ResponseHeadersRead, token));

        await Eventually.TrueAsync(() => SessionApi.GetAsync(gateway.Http, "story").Result.GetProperty("turns").GetInt32() == 2, "the interrupted turn was recorded");
        var session = await SessionApi.GetAsync(gateway.Http, "story");
        Assert.Equal(pid, session.GetProperty("process").GetProperty("pid").GetInt32());
        Assert.Equal("interrupted", session.GetProperty("history")[1].GetProperty("status").GetString());

        // The CLI keeps the interrupted prompt and the partial answer, and marks the interruption in the next prompt.
        Assert.EndsWith("go on", await SessionApi.SayAsync(gateway.Http, "story", "go on"), StringComparison.Ordinal);
        var after = upstream.MessageRequests[^1];
        Assert.Contains("[Request interrupted by user]", after.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("Once upon a time", after.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("tell a long story", after.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, (await SessionApi.GetAsync(gateway.Http, "story")).GetProperty("process").GetProperty("starts").GetInt32());
    }

    [Fact]
    public async Task A_process_that_died_between_turns_is_replaced_and_the_conversation_goes_on()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "fragile", "Remember the blue door.");
        var pid = (await SessionApi.GetAsync(gateway.Http, "fragile")).GetProperty("process").GetProperty("pid").GetInt32();

        Process.GetProcessById(pid).Kill(entireProcessTree: true);
        await Eventually.TrueAsync(() => !Directory.Exists($"/proc/{pid}"), "the CLI process is gone");

        Assert.Equal("echo: Which door?", await SessionApi.SayAsync(gateway.Http, "fragile", "Which door?"));
        Assert.Equal(["Remember the blue door.", "Which door?"], upstream.MessageRequests[^1].UserTexts);
        Assert.Equal(2, (await SessionApi.GetAsync(gateway.Http, "fragile")).GetProperty("process").GetProperty("starts").GetInt32());
    }

    [Fact]
    public async Task A_process_that_dies_mid_turn_is_restarted_from_the_journal_and_the_turn_retried_once_only()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var crashed = 0;
        upstream.Responder = request => request.LastUserText == "risky" && Interlocked.Exchange(ref crashed, 1) == 0
            ? FakeReply.Hang()
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "crashy", "first");
        var pid = (await SessionApi.GetAsync(gateway.Http, "crashy")).GetProperty("process").GetProperty("pid").GetInt32();

        var turn = SessionApi.SayAsync(gateway.Http, "crashy", "risky");
        await upstream.WaitForMessageRequestAsync(2, Sse.Generous);
        Process.GetProcessById(pid).Kill(entireProcessTree: true);

        Assert.Equal("echo: risky", await turn);
        var retried = upstream.MessageRequests[^1];
        Assert.Equal(["first", "risky"], retried.UserTexts);
        Assert.Equal(["user", "assistant", "user"], retried.MessageRoles);
        Assert.Equal(2, (await SessionApi.GetAsync(gateway.Http, "crashy")).GetProperty("process").GetProperty("starts").GetInt32());
    }
}
