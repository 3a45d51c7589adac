using Akka.Actor;
using Akka.Hosting;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Processes;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>
/// A new conversation runs on the node's ready standby process, with the real CLI: no CLI start on its path, its
/// CLI session is the standby process's, and the upstream sees only the conversation's own prompt (a fresh standby
/// process was never reset, so it carries no note of a /clear).
/// </summary>
public sealed class StandbyAdoptionTests
{
    [Fact]
    public async Task A_new_conversation_takes_the_ready_standby_process_and_the_upstream_sees_only_its_prompt()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var launcher = gateway.Get<WarmProcessLauncher>();
        var standby = await gateway.Get<ActorRegistry>().GetAsync<StandbyProcesses>();
        await Eventually.TrueAsync(
            async () => (await standby.Ask<StandbyProcesses.Status>(StandbyProcesses.GetStatus.Instance, Sse.Generous)).Ready == 1,
            "the standby process is ready");
        Assert.Equal(1, launcher.Starts);

        Assert.Equal("echo: hello", await SessionApi.SayAsync(gateway.Http, "adopter", "hello"));

        Assert.Equal(["hello"], upstream.MessageRequests[^1].UserTexts);
        var session = await SessionApi.GetAsync(gateway.Http, "adopter");
        Assert.Equal(upstream.MessageRequests[^1].Header("X-Claude-Code-Session-Id"), session.GetProperty("cli_session_id").GetString());

        // The standby set refills with a new process: the one it had is the conversation's now.
        await Eventually.TrueAsync(() => launcher.Starts == 2, "the standby set started a replacement");
        var pid = session.GetProperty("process").GetProperty("pid").GetInt32();
        Assert.Equal("echo: again", await SessionApi.SayAsync(gateway.Http, "adopter", "again"));
        Assert.Equal(["hello", "again"], upstream.MessageRequests[^1].UserTexts);
        Assert.Equal(pid, (await SessionApi.GetAsync(gateway.Http, "adopter")).GetProperty("process").GetProperty("pid").GetInt32());
    }
}
