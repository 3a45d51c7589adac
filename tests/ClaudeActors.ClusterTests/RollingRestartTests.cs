using ClaudeActors.Testing.Cluster;
using Xunit.Abstractions;

namespace ClaudeActors.ClusterTests;

/// <summary>All three nodes restarted one at a time (SIGTERM, drain, start again) while conversations run through nginx.</summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private const int Conversations = 60;
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
            var atStart = new List<int>();
            foreach (var node in cluster.Nodes)
            {
                // Each restart begins while conversations are still running.
                await load.WaitForTurnsAsync(load.Completed + 10).WaitAsync(stop.Token);
                atStart.Add(load.Completed);
                Assert.False(run.IsCompleted, $"The load had ended before node {node.Number} was restarted.");
                var exit = await node.TerminateAsync(TimeSpan.FromMinutes(2));
                output.WriteLine($"Node {node.Number} drained and exited with {exit} after {atStart[^1]} turns; starting it again.");
                Assert.Equal(0, exit);
                await cluster.RestartAsync(node);
            }

            await run;

            Assert.Equal(Conversations * Turns, load.Outcomes.Count);
            HistoryChecks.UpstreamHoldsEveryTurnOnce(cluster.Upstream, load.SessionIds, Turns);
            var events = await cluster.Journal.ConversationEventsAsync();
            HistoryChecks.JournalHoldsEveryTurnOnce(events, load.SessionIds, Turns);
            HistoryChecks.WritersDoNotInterleave(events, load.SessionIds);
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
