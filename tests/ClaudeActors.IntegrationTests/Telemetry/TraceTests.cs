using System.Collections.Concurrent;
using System.Diagnostics;
using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Telemetry;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Telemetry;

/// <summary>
/// One trace per request, from the HTTP span through the conversation entity (across the actor boundary, carried in
/// the turn message) to the CLI attempt; and the request id on the response and the spans.
/// </summary>
public sealed class TraceTests
{
    [Fact]
    public async Task A_conversation_turn_is_one_trace_linked_parent_to_child_from_HTTP_to_the_CLI_attempt()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = Listen(stopped, traceId);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = SessionApi.Json("""{"model":"default","session_id":"traced","messages":[{"role":"user","content":"follow me"}]}"""),
        };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{callerSpan.ToHexString()}-01");
        request.Headers.Add("x-request-id", "trace-test-request-1");
        using var response = await gateway.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("trace-test-request-1", response.Headers.GetValues("x-request-id").Single());

        // The HTTP span ends once the server has finished the response, which may be after the client read it.
        await Eventually.TrueAsync(
            () => stopped.Any(a => a.OperationName == ClaudeActorsTelemetry.ConversationTurnSpan) && stopped.Any(a => a.Source.Name == "Microsoft.AspNetCore"),
            "the conversation turn's span and the HTTP span ended");
        var spans = stopped.ToList();
        var http = Assert.Single(spans, a => a.Source.Name == "Microsoft.AspNetCore");
        var conversation = Assert.Single(spans, a => a.OperationName == ClaudeActorsTelemetry.ConversationTurnSpan);
        var turn = Assert.Single(spans, a => a.OperationName == ClaudeActorsTelemetry.TurnSpan);
        var attempt = Assert.Single(spans, a => a.OperationName == ClaudeActorsTelemetry.CliAttemptSpan);

        Assert.Equal(callerSpan, http.ParentSpanId);
        Assert.Equal(http.SpanId, conversation.ParentSpanId);
        Assert.Equal(conversation.SpanId, turn.ParentSpanId);
        Assert.Equal(turn.SpanId, attempt.ParentSpanId);
        Assert.All(spans, a => Assert.Equal(traceId, a.TraceId));
        Assert.Equal("trace-test-request-1", http.GetTagItem(ClaudeActorsTelemetry.RequestIdTag));
        Assert.Equal("trace-test-request-1", conversation.GetTagItem(ClaudeActorsTelemetry.RequestIdTag));
        Assert.Equal("conversation", turn.GetTagItem("claude_actors.turn.kind"));
        Assert.Equal("ok", turn.GetTagItem("claude_actors.turn.outcome"));
    }

    [Fact]
    public async Task A_sane_client_request_id_is_echoed_and_any_other_is_replaced_on_every_answer()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        Assert.Equal("client-id_1.2:3", await RequestIdOfAsync(gateway, "v1/models", "client-id_1.2:3"));
        Assert.Equal("on-an-error-too", await RequestIdOfAsync(gateway, "v1/no-such-endpoint", "on-an-error-too"));

        var tooLong = new string('a', 129);
        var replaced = await RequestIdOfAsync(gateway, "v1/models", tooLong);
        var withSpace = await RequestIdOfAsync(gateway, "v1/models", "two words");
        var none = await RequestIdOfAsync(gateway, "v1/models", null);
        var another = await RequestIdOfAsync(gateway, "v1/models", null);
        foreach (var id in new[] { replaced, withSpace, none, another })
        {
            Assert.Matches("^[0-9a-f]{32}$", id);
        }

        Assert.NotEqual(none, another);
    }

    private static async Task<string> RequestIdOfAsync(TestGateway gateway, string path, string? offered)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (offered is not null)
        {
            request.Headers.TryAddWithoutValidation("x-request-id", offered);
        }

        using var response = await gateway.Http.SendAsync(request);
        return Assert.Single(response.Headers.GetValues("x-request-id"));
    }

    /// <summary>Collects the spans of <paramref name="traceId"/> (ours and ASP.NET Core's) as they end.</summary>
    private static ActivityListener Listen(ConcurrentQueue<Activity> stopped, ActivityTraceId traceId)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ClaudeActorsTelemetry.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
