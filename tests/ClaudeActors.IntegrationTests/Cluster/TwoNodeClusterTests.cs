using System.Text;
using System.Text.Json;
using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Cluster;

/// <summary>
/// Two nodes of one cluster sharing a journal, the real CLI on each: a request on either node reaches the conversation
/// wherever it lives, its answer streams back across nodes, a client that leaves interrupts the turn on the other node,
/// a stateless resend finds its conversation on the other node at once, and a conversation whose node leaves goes on
/// elsewhere with its whole history.
/// </summary>
public sealed class TwoNodeClusterTests
{
    [Fact]
    public async Task A_conversation_on_the_other_node_streams_back_is_found_by_a_resend_and_moves_with_its_history()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Responder = request => request.LastUserText == "stream slowly"
            ? FakeReply.Gated("First words", " and the rest.", gate)
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var cluster = await TwoNodeCluster.StartAsync(upstream.BaseUrl);
        var (a, b) = (cluster.A, cluster.B!);

        // A conversation whose entity the shard allocation put on B, talked to through A.
        var id = await ConversationOnAsync(b, a);
        Assert.False(await TwoNodeCluster.HostsAsync(a, id));

        // Its answer streams to A's client as the model writes it on B.
        using (var timeout = new CancellationTokenSource(Sse.Generous))
        {
            var body = JsonSerializer.Serialize(new { session_id = id, stream = true, messages = new[] { new { role = "user", content = "stream slowly" } } });
            using var response = await Sse.PostAsync(a.Http, body, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            await Sse.ReadEventAsync(reader, timeout.Token);
            var first = Sse.Json((await Sse.ReadEventAsync(reader, timeout.Token))!);
            Assert.Equal("First words", first.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
            Assert.False(gate.IsReleased, "the upstream was still holding the rest of the answer");
            gate.Release();
            Assert.Equal(" and the rest.", await RestAsync(reader, timeout.Token));
        }

        await SessionApi.AssertTurnsAsync(a.Http, id, 2);
        var members = (await TwoNodeCluster.ClusterAsync(a)).GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.All(members, m => Assert.True(m.GetProperty("conversations").GetInt32() >= 0));
        Assert.Contains(members, m => !m.GetProperty("self").GetBoolean() && m.GetProperty("conversations").GetInt32() >= 1);

        // A stateless client: its first request through A, its resend through B right after, which continues it.
        using var started = await SessionApi.ResendAsync(a.Http, ("user", "Remember the blue door."));
        Assert.True(started.IsSuccessStatusCode);
        var statelessId = started.Headers.GetValues(SessionHeaders.SessionId).Single();
        using var resent = await SessionApi.ResendAsync(b.Http, ("user", "Remember the blue door."), ("assistant", "echo: Remember the blue door."), ("user", "Which door?"));
        Assert.True(resent.IsSuccessStatusCode, await resent.Content.ReadAsStringAsync());
        Assert.Equal(statelessId, resent.Headers.GetValues(SessionHeaders.SessionId).Single());
        await SessionApi.AssertTurnsAsync(b.Http, statelessId, 2);

        // B leaves (SIGTERM's path: coordinated shutdown hands its shards over); the conversation goes on on A, whose
        // CLI has never seen it: the transcript comes from the journal.
        await cluster.StopBAsync();
        Assert.Equal("echo: and now?", await SessionApi.SayAsync(a.Http, id, "and now?"));
        Assert.True(await TwoNodeCluster.HostsAsync(a, id));
        Assert.Equal(["hello", "stream slowly", "and now?"], upstream.MessageRequests[^1].UserTexts);
        await SessionApi.AssertTurnsAsync(a.Http, id, 3);
    }

    [Fact]
    public async Task A_client_that_leaves_interrupts_the_turn_on_the_other_node()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.LastUserText == "tell a long story"
            ? FakeReply.Hang("Once upon a time", chunkCount: 1)
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var cluster = await TwoNodeCluster.StartAsync(upstream.BaseUrl);
        var (a, b) = (cluster.A, cluster.B!);
        var id = await ConversationOnAsync(b, a);

        using (var client = new CancellationTokenSource())
        {
            var body = JsonSerializer.Serialize(new { session_id = id, stream = true, messages = new[] { new { role = "user", content = "tell a long story" } } });
            var response = await Sse.PostAsync(a.Http, body, HttpCompletionOption.ResponseHeadersRead, client.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(client.Token));
            await Sse.ReadEventAsync(reader, client.Token);
            await Sse.ReadEventAsync(reader, client.Token);
            var held = await upstream.WaitForMessageRequestAsync(upstream.MessageRequests.Count, Sse.Generous);
            await client.CancelAsync();
            response.Dispose();
            Assert.Equal(FakeStreamOutcome.AbortedByClient, await upstream.WaitForOutcomeAsync(held, Sse.Generous));
        }

        await Eventually.TrueAsync(() => SessionApi.GetAsync(a.Http, id).Result.GetProperty("turns").GetInt32() == 2, "the interrupted turn was recorded");
        Assert.Equal("interrupted", (await SessionApi.GetAsync(b.Http, id)).GetProperty("history")[1].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_node_that_stops_lets_its_running_turn_finish_then_hands_the_conversation_over(bool clientOnTheStoppingNode)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Responder = request => request.LastUserText == "finish me"
            ? FakeReply.Gated("Half", " and whole.", gate)
            : FakeReply.Text("echo: " + request.LastUserText);
        await using var cluster = await TwoNodeCluster.StartAsync(upstream.BaseUrl);
        var (a, b) = (cluster.A, cluster.B!);
        var id = await ConversationOnAsync(b, a);

        using var timeout = new CancellationTokenSource(Sse.Generous);
        var body = JsonSerializer.Serialize(new { session_id = id, stream = true, messages = new[] { new { role = "user", content = "finish me" } } });
        // A client of its own: stopping a test gateway disposes the gateway's client.
        using var http = new HttpClient { BaseAddress = (clientOnTheStoppingNode ? b : a).BaseUrl, Timeout = Sse.Generous };
        using var response = await Sse.PostAsync(http, body, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        await Sse.ReadEventAsync(reader, timeout.Token);
        await Sse.ReadEventAsync(reader, timeout.Token);

        // SIGTERM's path on B while its turn runs: the turn is not cut, it finishes once the model does.
        var stopping = cluster.StopBAsync();
        await Eventually.TrueAsync(() => b.App.Lifetime.ApplicationStopping.IsCancellationRequested, "node B is stopping");
        gate.Release();
        Assert.Equal(" and whole.", await RestAsync(reader, timeout.Token));
        await stopping.WaitAsync(Sse.Generous);

        // Handed over: the next turn runs on A, with the whole history, each turn recorded once.
        Assert.Equal("echo: next", await SessionApi.SayAsync(a.Http, id, "next"));
        Assert.True(await TwoNodeCluster.HostsAsync(a, id));
        Assert.Equal(["hello", "finish me", "next"], upstream.MessageRequests[^1].UserTexts);
        await SessionApi.AssertTurnsAsync(a.Http, id, 3);
    }

    [Fact]
    public async Task A_turn_whose_node_is_downed_ends_at_once_with_node_left_and_the_conversation_goes_on_elsewhere()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.LastUserText == "never ends"
            ? FakeReply.Hang()
            : FakeReply.Text("echo: " + request.LastUserText);
        // B behaves as a crashed (or frozen) node: downed, it does not shut down and hand its shards over.
        await using var cluster = await TwoNodeCluster.StartAsync(upstream.BaseUrl, "akka.cluster.run-coordinated-shutdown-when-down = off");
        var (a, b) = (cluster.A, cluster.B!);
        var id = await ConversationOnAsync(b, a);
        var requests = upstream.MessageRequests.Count;

        var turn = SessionApi.PostAsync(a.Http, id, "never ends");
        await upstream.WaitForMessageRequestAsync(requests + 1, Sse.Generous);

        // B is downed as the split-brain resolver would after a crash: A's reader stops waiting for it.
        var bAddress = Akka.Cluster.Cluster.Get(b.Get<Akka.Actor.ActorSystem>()).SelfAddress;
        var bId = ClaudeActors.Clustering.NodeDepartures.SelfId(b.Get<Akka.Actor.ActorSystem>());
        var gone = a.Get<ClaudeActors.Clustering.NodeDepartures>().WhenGone(bId);
        Assert.False(gone.IsCancellationRequested);
        Akka.Cluster.Cluster.Get(a.Get<Akka.Actor.ActorSystem>()).Down(bAddress);
        await Eventually.TrueAsync(() => gone.IsCancellationRequested, "A hears that B (" + bId + ") left");
        using var response = await turn.WaitAsync(Sse.Generous);
        var body = await Sse.JsonAsync(response);
        Assert.True(503 == (int)response.StatusCode, body.ToString());
        Assert.Equal("node_left", body.GetProperty("error").GetProperty("code").GetString());

        // The conversation goes on on A with the turns that were stored.
        Assert.Equal("echo: again", await SessionApi.SayAsync(a.Http, id, "again"));
        Assert.Equal("hello", upstream.MessageRequests[^1].UserTexts[0]);
        Assert.Equal("again", upstream.MessageRequests[^1].UserTexts[^1]);
    }

    [Fact]
    public async Task A_node_that_leaves_does_not_take_the_nodes_that_stay_for_gone()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var cluster = await TwoNodeCluster.StartAsync(upstream.BaseUrl);
        var (a, b) = (cluster.A, cluster.B!);
        var aId = ClaudeActors.Clustering.NodeDepartures.SelfId(a.Get<Akka.Actor.ActorSystem>());
        var bId = ClaudeActors.Clustering.NodeDepartures.SelfId(b.Get<Akka.Actor.ActorSystem>());
        var aSeenFromB = b.Get<ClaudeActors.Clustering.NodeDepartures>().WhenGone(aId);
        var bSeenFromA = a.Get<ClaudeActors.Clustering.NodeDepartures>().WhenGone(bId);

        await cluster.StopBAsync();

        // A hears that B left; B, as its cluster shut down, heard every member "removed" (Akka's last word to a node
        // that leaves), but A did not leave: a stream B read from A must not have ended as node_left.
        await Eventually.TrueAsync(() => bSeenFromA.IsCancellationRequested, "A hears that B left");
        Assert.False(aSeenFromB.IsCancellationRequested);
    }

    /// <summary>The content of the rest of a streamed answer, up to <c>[DONE]</c>; an error event fails the test.</summary>
    private static async Task<string> RestAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var rest = new StringBuilder();
        while (await Sse.ReadEventAsync(reader, cancellationToken) is { } data && data != "[DONE]")
        {
            var chunk = Sse.Json(data);
            Assert.False(chunk.TryGetProperty("error", out _), data);
            rest.Append(chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : "");
        }

        return rest.ToString();
    }

    /// <summary>Starts conversations through <paramref name="via"/> until one lives on <paramref name="owner"/>; its id.</summary>
    private static async Task<string> ConversationOnAsync(TestGateway owner, TestGateway via)
    {
        for (var i = 0; i < 20; i++)
        {
            var id = $"cluster-{Guid.NewGuid():N}";
            Assert.Equal("echo: hello", await SessionApi.SayAsync(via.Http, id, "hello"));
            if (await TwoNodeCluster.HostsAsync(owner, id))
            {
                return id;
            }
        }

        throw new InvalidOperationException("No conversation of 20 was placed on the other node.");
    }
}
