using ClaudeActors.Testing.Cluster;
using ClaudeActors.Testing.FakeUpstream;
using Xunit.Abstractions;

namespace ClaudeActors.ClusterTests;

/// <summary>A node dies (<c>kill -9</c>, with its CLI processes) in the middle of a load through nginx.</summary>
public sealed class KillNodeTests(ITestOutputHelper output)
{
    private const int Conversations = 100;
    private const int Turns = 5;

    [Fact]
    public async Task A_node_killed_in_the_middle_loses_no_turn_and_every_history_holds_each_turn_once()
    {
        await using var cluster = await TestCluster.StartAsync(3, ClusterSettings.ForTwoCores);
        DistinctAnswers.Use(cluster.Upstream);
        using var http = new HttpClient { BaseAddress = cluster.Proxy!.BaseUrl, Timeout = ClusterSettings.ClientTimeout };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(7));
        var load = new ConversationLoad(new ResilientChatClient(http), "kill", Conversations, Turns, 3 * ClusterSettings.WorkersPerNode);
        var run = load.RunAsync(stop.Token);
        try
        {
            await load.WaitForTurnsAsync(Conversations * Turns * 2 / 5).WaitAsync(stop.Token);

            // The victim is the node that has just sent an early turn of a conversation upstream: that conversation's
            // entity lives there and has turns left, so they must run elsewhere once it is dead. (Picking the busiest
            // node instead often found only conversations that had finished, or whose running turn had not reached
            // the upstream yet: nothing of "its" conversations then showed up elsewhere, and the check measured luck.)
            var sofar = cluster.Upstream.MessageRequests;
            var latest = sofar.Where(r => LoadReport.TurnOf(r) is { Turn: <= Turns - 2 } && cluster.NodeOf(r) is not null).MaxBy(r => r.Index)
                ?? throw new InvalidOperationException("No early turn reached the upstream before the kill.");
            var victim = cluster.NodeOf(latest)!;
            var moving = LoadReport.TurnOf(latest)!.Value;

            // From the choice on, the upstream answers the victim nothing more, so it cannot finish that conversation
            // before the kill lands (on a loaded machine it once ran both of its last turns in that gap).
            var answer = cluster.Upstream.Responder!;
            cluster.Upstream.Responder = request => cluster.NodeOf(request) == victim ? FakeReply.Hang() : answer(request);
            await victim.KillAsync();
            output.WriteLine($"Killed node {victim.Number} after {load.Completed} turns, while it ran turn {moving.Turn} of {moving.SessionId}.");

            // Requests its CLI processes sent just before they died may still be in the upstream's socket buffers and be
            // recorded a little later; once the survivors have removed the dead node, every such request has long been
            // read. From then on nothing may come from it.
            var survivors = cluster.Nodes.Where(node => node != victim).ToList();
            await cluster.WaitForMembersAsync(survivors, TimeSpan.FromMinutes(2)).WaitAsync(stop.Token);
            var before = cluster.Upstream.MessageRequests;
            var victimConversations = LoadReport.ConversationsServedBy(before, victim.ApiKey);
            output.WriteLine($"Node {victim.Number} was removed after {load.Completed} turns; it had served {victimConversations.Count} conversations.");

            await run;

            Assert.Equal(Conversations * Turns, load.Outcomes.Count);
            var all = cluster.Upstream.MessageRequests;
            var late = all.Skip(before.Count).Where(r => cluster.NodeOf(r) == victim).ToList();
            Assert.True(late.Count == 0, "The dead node sent upstream after its removal: " + string.Join(", ", late.Select(r => $"#{r.Index} {LoadReport.TurnOf(r)}")));
            HistoryChecks.JournalHoldsEveryTurnOnce(await cluster.Journal.ConversationEventsAsync(), load.SessionIds, Turns);
            HistoryChecks.UpstreamHoldsEveryTurnOnce(cluster.Upstream, load.SessionIds, Turns);

            // Each conversation lives on one node until that node dies, so a conversation of the dead node that another
            // node served has moved on.
            var servedElsewhere = survivors.SelectMany(node => LoadReport.ConversationsServedBy(all, node.ApiKey)).ToHashSet();
            var movedOn = victimConversations.Intersect(servedElsewhere).Count();
            output.WriteLine($"{movedOn} conversations of the killed node continued on other nodes.");
            Assert.Contains(moving.SessionId, victimConversations);
            Assert.Contains(all, r => LoadReport.TurnOf(r) is { } t && t.SessionId == moving.SessionId && t.Turn > moving.Turn
                && cluster.NodeOf(r) is { } node && node != victim);
            Assert.True(movedOn > 0, "No conversation of the killed node had a later turn elsewhere.");
            output.WriteLine(LoadReport.Summary(load));
        }
        catch
        {
            output.WriteLine(LoadReport.Summary(load));
            output.WriteLine(cluster.Describe());
            throw;
        }
    }
}
