using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using static ClaudeActors.IntegrationTests.Responses.ResponsesApi;

namespace ClaudeActors.IntegrationTests.Responses;

/// <summary>
/// A conversation continues only from its latest response: the check is made by the conversation entity when the
/// turn runs, so of two requests that continue the same response at once, the second is refused.
/// </summary>
public sealed class ResponseBranchingTests
{
    [Fact]
    public async Task Of_two_continuations_of_one_response_the_one_that_runs_second_is_refused()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Enqueue(FakeReply.Text("First."));
        upstream.Enqueue(FakeReply.Gated("Second, ", "held.", gate));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var (status, first, _) = await PostAsync(gateway, """{"model":"sonnet","input":"one"}""");
        Assert.Equal(200, status);
        var continuation = $$"""{"model":"sonnet","input":"two","previous_response_id":"{{Str(first, "id")}}"}""";

        // The first continuation runs and is held by the upstream; the second comes while it runs.
        var running = PostAsync(gateway, continuation);
        await gate.WaitUntilReachedAsync(TimeSpan.FromSeconds(90));
        var late = PostAsync(gateway, continuation);
        gate.Release();

        var (runStatus, ran, _) = await running;
        Assert.Equal(200, runStatus);
        Assert.Equal("Second, held.", Str(ran.GetProperty("output")[0].GetProperty("content")[0], "text"));
        var (lateStatus, refused, _) = await late;
        Assert.Equal(400, lateStatus);
        Assert.Equal("previous_response_not_latest", Str(refused.GetProperty("error"), "code"));
        Assert.Equal("previous_response_id", Str(refused.GetProperty("error"), "param"));
        Assert.Equal(2, upstream.MessageRequests.Count);
    }
}
