using ClaudeActors.Testing.Cluster;
using Xunit.Abstractions;

namespace ClaudeActors.ClusterTests;

/// <summary>All three nodes restarted one at a time (SIGTERM, drain, start again) while conversations run through nginx.</summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    /// <summary>An upper bound: conversations keep starting until the last node is back, then no more start.</summary>
    private const int Conversations = 1000;
    private const int Turns = 5;

    [Fact]
    public async Task A_rolling_restart_of_every_node_under_load_loses_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(3, ClusterSettings.ForTwoCores);
        DistinctAnswers.Use(cluster.Upstream);
        using var http = new HttpClient { BaseAddress = cluster.Proxy!.BaseUrl, Timeout = ClusterSettings.ClientTimeout };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(7));
        var load = new ConversationLoad(new ResilientChatClient(http), "rolling", Conversations, Turns, 2 * ClusterSettings.WorkersPerNode);
        var run = load.RunAsync(stop.Token);
        try
        {
            foreach (var node in cluster.Nodes)
            {
                // Each restart begins while conversations run: a few turns after the node before it is back.
                await load.WaitForTurnsAsync(load.Completed + 10).WaitAsync(stop.Token);
                var exit = await node.TerminateAsync(TimeSpan.FromMinutes(2));
                output.WriteLine($"Node {node.Number} drained and exited with {exit} after {load.Completed} turns; starting it again.");
                Assert.Equal(0, exit);
                await cluster.RestartAsync(node);
            }

            load.StopStarting();
            await run;
            var ids = load.StartedIds;
            output.WriteLine($"{ids.Count} conversations ran.");
            Assert.Equal(ids.Count * Turns, load.Outcomes.Count);
            var events = await cluster.Journal.ConversationEventsAsync();
            HistoryChecks.JournalHoldsEveryTurnOnce(events, ids, Turns);
            HistoryChecks.UpstreamHoldsEveryTurnOnce(cluster.Upstream, ids, Turns);
            HistoryChecks.WritersDoNotInterleave(events, ids);
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
