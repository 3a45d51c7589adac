using ClaudeActors.Testing.Cluster;
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
            await victim.KillAsync();
            var before = cluster.Upstream.MessageRequests;
            var victimConversations = LoadReport.ConversationsServedBy(before, victim.ApiKey);
            output.WriteLine($"Killed node {victim.Number} after {load.Completed} turns, while it ran turn {moving.Turn} of {moving.SessionId}; it had served {victimConversations.Count} conversations.");

            await run;

            Assert.Equal(Conversations * Turns, load.Outcomes.Count);
            var after = cluster.Upstream.MessageRequests.Skip(before.Count).ToList();
            Assert.DoesNotContain(after, r => cluster.NodeOf(r) == victim);
            HistoryChecks.JournalHoldsEveryTurnOnce(await cluster.Journal.ConversationEventsAsync(), load.SessionIds, Turns);
            HistoryChecks.UpstreamHoldsEveryTurnOnce(cluster.Upstream, load.SessionIds, Turns);

            var movedOn = victimConversations.Intersect(after.SelectMany(r => LoadReport.ConversationsServedBy([r], r.Header("x-api-key")!))).Count();
            output.WriteLine($"{movedOn} conversations of the killed node continued on other nodes.");
            Assert.Contains(moving.SessionId, victimConversations);
            Assert.Contains(after, r => LoadReport.TurnOf(r) is { } t && t.SessionId == moving.SessionId && t.Turn > moving.Turn);
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
