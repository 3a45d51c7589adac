using Akka.Actor;
using Akka.Hosting;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.Processes;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Workers;

/// <summary>
/// Stateless requests on the worker pool's warm processes, with the real CLI: a process serves one request after another,
/// reset with /clear in between, so the upstream never sees an earlier request; a request with history still resumes it.
/// </summary>
public sealed class WarmProcessTests
{
    private static Task<TestGateway> StartAsync(FakeAnthropicServer upstream, int standby) =>
        TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Sessions:AutoSessions"] = "false";
            s["ClaudeActors:Workers:MaxConcurrency"] = "1";
            s["ClaudeActors:Processes:Standby"] = standby.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

    private static Task<HttpResponseMessage> AskAsync(TestGateway gateway, string text, string model = "default") =>
        Sse.PostAsync(gateway.Http, Sse.Body(new { model, messages = new[] { new { role = "user", content = text } } }));

    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        return (await Sse.JsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    [Fact]
    public async Task Two_stateless_requests_in_a_row_share_one_process_and_the_second_sees_only_its_own_prompt()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("Noted.");
        await using var gateway = await StartAsync(upstream, standby: 0);
        var launcher = gateway.Get<WarmProcessLauncher>();

        using var first = await AskAsync(gateway, "My secret is PAPAYA-17.");
        Assert.Equal("Noted.", await AnswerAsync(first));
        using var second = await AskAsync(gateway, "What is my secret?");
        Assert.Equal("Noted.", await AnswerAsync(second));

        Assert.Equal(1, launcher.Starts);
        Assert.Equal(2, upstream.MessageRequests.Count);
        var request = upstream.MessageRequests[1];
        Assert.Equal(["user"], request.MessageRoles);
        Assert.EndsWith("What is my secret?", request.LastUserText, StringComparison.Ordinal);
        Assert.DoesNotContain("PAPAYA-17", request.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_of_a_warm_process_is_switched_for_a_request_that_names_another()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await StartAsync(upstream, standby: 0);

        using var first = await AskAsync(gateway, "hi");
        await AnswerAsync(first);
        using var second = await AskAsync(gateway, "hi again", model: "haiku");
        await AnswerAsync(second);

        Assert.Equal(1, gateway.Get<WarmProcessLauncher>().Starts);
        Assert.Contains("haiku", upstream.MessageRequests[1].Model, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("haiku", upstream.MessageRequests[0].Model, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_request_with_history_resumes_it_and_the_warm_process_stays_clean()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await StartAsync(upstream, standby: 0);

        using var warm = await AskAsync(gateway, "A stateless hello.");
        await AnswerAsync(warm);
        using var history = await SessionApi.ResendAsync(gateway.Http, ("user", "Hi, I am Bob."), ("assistant", "Hello Bob."), ("user", "Who am I?"));
        Assert.Equal("echo: Who am I?", await AnswerAsync(history));
        using var after = await AskAsync(gateway, "And now?");
        await AnswerAsync(after);

        Assert.Equal(["user", "assistant", "user"], upstream.MessageRequests[1].MessageRoles);
        Assert.Contains("Hello Bob.", upstream.MessageRequests[1].Body.GetRawText(), StringComparison.Ordinal);
        var last = upstream.MessageRequests[2];
        Assert.Equal(["user"], last.MessageRoles);
        Assert.DoesNotContain("Bob", last.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("stateless hello", last.Body.GetRawText(), StringComparison.Ordinal);

        // The warm process served the first and the last request; the one with history had a process of its own.
        Assert.Equal(2, gateway.Get<WarmProcessLauncher>().Starts);
    }

    [Fact]
    public async Task A_request_takes_the_ready_standby_process_and_the_standby_is_refilled()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await StartAsync(upstream, standby: 1);
        var launcher = gateway.Get<WarmProcessLauncher>();
        var standby = await gateway.Get<ActorRegistry>().GetAsync<StandbyProcesses>();
        await WaitForReadyAsync(standby);
        Assert.Equal(1, launcher.Starts);

        using var response = await AskAsync(gateway, "hi");
        await AnswerAsync(response);

        await WaitForReadyAsync(standby);
        Assert.Equal(2, launcher.Starts);
    }

    private static async Task WaitForReadyAsync(IActorRef standby) =>
        await Eventually.TrueAsync(
            async () => (await standby.Ask<StandbyProcesses.Status>(StandbyProcesses.GetStatus.Instance, Sse.Generous)).Ready == 1,
            "a standby process is ready");
}
