using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Conversations;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>Idle conversations and the warm-process cap end processes, never conversations.</summary>
public sealed class PassivationTests
{
    [Fact]
    public async Task An_idle_conversation_is_passivated_after_the_TTL_and_resumes_with_its_history()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Sessions:TtlSeconds"] = "1";
            s["ClaudeActors:Sessions:SweepIntervalSeconds"] = "0.2";
        });
        var conversations = gateway.Get<ConversationClient>();

        await SessionApi.SayAsync(gateway.Http, "sleepy", "Remember 42.", model: "haiku");
        await Eventually.TrueAsync(
            async () => await conversations.LiveConversationsAsync(default) == 0 && (await conversations.ProcessesAsync(default)).Warm == 0,
            "the idle conversation was passivated");
        Assert.Equal("passivated", (await SessionApi.GetAsync(gateway.Http, "sleepy")).GetProperty("state").GetString());

        Assert.Equal("echo: What number?", await SessionApi.SayAsync(gateway.Http, "sleepy", "What number?"));
        Assert.Equal(["Remember 42.", "What number?"], upstream.MessageRequests[^1].UserTexts);
        Assert.Equal(["user", "assistant", "user"], upstream.MessageRequests[^1].MessageRoles);

        // The resumed process runs with the conversation's model although this request named none.
        Assert.StartsWith("claude-haiku", upstream.MessageRequests[^1].Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_warm_process_cap_the_least_recently_used_conversation_is_passivated()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Sessions:MaxWarmProcesses"] = "2");
        var conversations = gateway.Get<ConversationClient>();

        await SessionApi.SayAsync(gateway.Http, "oldest", "one");
        await SessionApi.SayAsync(gateway.Http, "middle", "two");
        await SessionApi.SayAsync(gateway.Http, "newest", "three");

        await Eventually.TrueAsync(async () => !(await conversations.GetAsync("oldest", default)).Process.Warm, "the least recently used conversation lost its process");
        Assert.True((await conversations.GetAsync("middle", default)).Process.Warm);
        Assert.True((await conversations.GetAsync("newest", default)).Process.Warm);
        Assert.Equal(2, (await conversations.ProcessesAsync(default)).Warm);

        Assert.Equal("echo: again", await SessionApi.SayAsync(gateway.Http, "oldest", "again"));
        Assert.Equal(["one", "again"], upstream.MessageRequests[^1].UserTexts);
        Assert.Equal(2, (await SessionApi.GetAsync(gateway.Http, "oldest")).GetProperty("process").GetProperty("starts").GetInt32());
    }

    [Fact]
    public async Task A_burst_of_busy_conversations_over_the_cap_settles_back_under_it_when_their_turns_end()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Responder = request => FakeReply.Gated("held ", request.LastUserText ?? "", gate);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Sessions:MaxWarmProcesses"] = "1";
            s["ClaudeActors:Workers:MaxConcurrency"] = "2";
        });
        var conversations = gateway.Get<ConversationClient>();

        var a = SessionApi.SayAsync(gateway.Http, "burst-a", "a");
        var b = SessionApi.SayAsync(gateway.Http, "burst-b", "b");
        await upstream.WaitForOpenStreamsAsync(2, Sse.Generous);
        Assert.Equal(2, (await conversations.ProcessesAsync(default)).Warm);
        gate.Release();
        await Task.WhenAll(a, b);

        await Eventually.TrueAsync(async () => (await conversations.ProcessesAsync(default)).Warm == 1, "the warm count came back under the cap");

        // Exactly one of the two lost its process: the cap never takes more than the excess.
        await Task.Delay(1000);
        Assert.Equal(1, (await conversations.ProcessesAsync(default)).Warm);
        var warm = new List<bool>();
        foreach (var id in new[] { "burst-a", "burst-b" })
        {
            warm.Add((await conversations.GetAsync(id, default)).Process.Warm);
        }

        Assert.Single(warm, w => w);
    }
}
