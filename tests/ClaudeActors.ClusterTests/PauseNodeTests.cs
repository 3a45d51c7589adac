using ClaudeActors.Testing.Cluster;
using ClaudeActors.Testing.FakeUpstream;
using Xunit.Abstractions;

namespace ClaudeActors.ClusterTests;

/// <summary>
/// A node hangs (SIGSTOP) with a turn in flight, long enough to be downed; its conversations go on elsewhere; after
/// SIGCONT it must write nothing for them.
/// </summary>
public sealed class PauseNodeTests(ITestOutputHelper output)
{
    private const int Conversations = 12;
    private const int Turns = 5;

    [Fact]
    public async Task A_paused_node_is_downed_its_conversations_move_and_after_resuming_it_writes_nothing_for_them()
    {
        await using var cluster = await TestCluster.StartAsync(3, ClusterSettings.ForTwoCores);
        DistinctAnswers.Use(cluster.Upstream);
        using var proxy = new HttpClient { BaseAddress = cluster.Proxy!.BaseUrl, Timeout = ClusterSettings.ClientTimeout };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var viaProxy = new ResilientChatClient(proxy);
        var load = new ConversationLoad(viaProxy, "pause", Conversations, Turns, 3 * ClusterSettings.WorkersPerNode);
        try
        {
            // Turns 1 and 2 of every conversation, through nginx: each conversation now lives on some node.
            await load.RunAsync(load.SessionIds, 1, 2, stop.Token);
            var served = cluster.Nodes.ToDictionary(node => node, node => LoadReport.ConversationsServedBy(cluster.Upstream.MessageRequests, node.ApiKey));
            var victim = served.MaxBy(pair => pair.Value.Count).Key;
            var moved = served[victim].ToList();
            Assert.NotEmpty(moved);
            var healthy = cluster.Nodes.Where(node => node != victim).ToList();

            // While it is paused, nothing goes to the victim's HTTP port: clients talk to the healthy nodes directly
            // (a paused process still accepts TCP connections, so nginx would hold requests on it until its time-out).
            var clients = healthy.Select(node => new HttpClient { BaseAddress = node.BaseUrl, Timeout = ClusterSettings.ClientTimeout }).ToList();
            try
            {
                var direct = clients.Select(http => new ResilientChatClient(http)).ToList();
                var elsewhere = new ConversationLoad(id => direct[Math.Abs(id.GetHashCode(StringComparison.Ordinal)) % direct.Count], "pause", Conversations, Turns, 6);

                // One of its conversations has turn 3 running on the victim when it stops: the upstream call is held
                // until the victim is paused, then ends, so the victim has a finished turn to store when it wakes up.
                var inFlight = moved[0];
                var gate = new FakeGate();
                var heldText = ConversationLoad.TextOf(inFlight, 3);
                var answer = DistinctAnswers.To(heldText);
                cluster.Upstream.Responder = request =>
                    request.LastUserText == heldText && cluster.NodeOf(request) == victim && !gate.IsReleased
                        ? FakeReply.Gated(answer[..10], answer[10..], gate)
                        : FakeReply.Text(DistinctAnswers.To(request.LastUserText ?? ""), chunkCount: 6);
                var heldTurn = elsewhere.RunAsync([inFlight], 3, 3, stop.Token);
                await gate.WaitUntilReachedAsync(TimeSpan.FromMinutes(2));
                var beforePause = cluster.Upstream.MessageRequests.Count;
                victim.Pause();
                gate.Release();
                output.WriteLine($"Paused node {victim.Number}, which held {moved.Count} conversations; turn 3 of {inFlight} was running on it.");

                // Turns 3 and 4 of every conversation (its own served by the healthy nodes once it is downed).
                await elsewhere.RunAsync(load.SessionIds.Where(id => id != inFlight), 3, 4, stop.Token);
                await heldTurn;
                await elsewhere.RunAsync([inFlight], 4, 4, stop.Token);
                var duringPause = cluster.Upstream.MessageRequests.Skip(beforePause).ToList();
                Assert.DoesNotContain(duringPause, request => cluster.NodeOf(request) == victim);
                output.WriteLine(LoadReport.Summary(elsewhere));

                // It wakes up, learns it was downed, and exits; the journal must gain nothing for its conversations.
                var mark = await cluster.Journal.HighestOrderingAsync();
                victim.Resume();
                var exit = await victim.WaitForExitAsync(TimeSpan.FromMinutes(2));
                output.WriteLine($"Node {victim.Number} exited with {exit} after SIGCONT.");
                var written = (await cluster.Journal.ConversationEventsAsync())
                    .Where(e => e.Ordering > mark && moved.Contains(e.ConversationId!)).ToList();
                Assert.True(written.Count == 0, "After SIGCONT the downed node wrote: " +
                    string.Join(" | ", written.Select(e => $"{e.PersistenceId}#{e.SequenceNumber} {e.Manifest}")));
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }

            // The last turn of every conversation through nginx (the downed node is gone): the survivors' view of each
            // conversation agrees with the journal, so every write succeeds.
            await load.RunAsync(load.SessionIds, 5, 5, stop.Token);

            var events = await cluster.Journal.ConversationEventsAsync();
            HistoryChecks.JournalHoldsEveryTurnOnce(events, load.SessionIds, Turns);
            HistoryChecks.UpstreamHoldsEveryTurnOnce(cluster.Upstream, load.SessionIds, Turns);
            HistoryChecks.WritersDoNotInterleave(events, moved);
        }
        catch
        {
            output.WriteLine(LoadReport.Summary(load));
            output.WriteLine(cluster.Describe());
            throw;
        }
    }
}
