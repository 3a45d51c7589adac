using System.Diagnostics;
using ClaudeActors.Bench.Measurement;
using ClaudeActors.Testing.Cluster;
using static ClaudeActors.Bench.Measurement.ReportFormat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>
/// The cluster harness of the cluster tests (server processes on one PostgreSQL journal, nginx in front, the real CLI
/// against the fake upstream): turns per second and turn latency with 1, 2 and 3 nodes on this machine, and the time
/// from a node's death (kill -9) to the first successful turn of one of its conversations on another node.
/// </summary>
internal sealed class ClusterScenario : IScenario
{
    public string Name => "cluster";

    public string Description => "Turns per second and p95 turn latency through nginx with 1, 2 and 3 nodes; fail-over time after kill -9.";

    public IReadOnlyList<string> OptionHelp => ClusterOptions.Help;

    public double DefaultMaxMinutes => 20;

    public async Task<int> RunAsync(BenchArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ClusterOptions.From(arguments);
        var start = await BenchStart.CaptureAsync(1, TimeSpan.Zero, TimeSpan.FromMinutes(2), cancellationToken);
        var table = new ResultTable("Nodes", "Turns", "In flight", "Turns/s", "p50 ms", "p95 ms", "Max ms", "Turns retried");
        foreach (var nodes in options.Nodes)
        {
            Console.Error.WriteLine($"[bench] {nodes} node(s): {options.Conversations} conversations x {options.Turns} turns");
            await using var cluster = await TestCluster.StartAsync(nodes, ClusterSettings.ForTwoCores);
            DistinctAnswers.Use(cluster.Upstream);
            using var http = new HttpClient { BaseAddress = cluster.Proxy!.BaseUrl, Timeout = ClusterSettings.ClientTimeout };
            var inFlight = nodes * options.PerNode;
            var load = new ConversationLoad(new ResilientChatClient(http), $"bench-{nodes}", options.Conversations, options.Turns, inFlight);
            var clock = Stopwatch.StartNew();
            await load.RunAsync(cancellationToken);
            var elapsed = clock.Elapsed;
            var latency = LatencyStats.From(load.Outcomes.Select(o => o.Latency));
            table.AddRow(
                Number(nodes), Number(load.Outcomes.Count), Number(inFlight), Number(load.Outcomes.Count / elapsed.TotalSeconds, "0.0"),
                Ms(latency.P50), Ms(latency.P95), Ms(latency.Max), Number(load.Outcomes.Count(o => o.Failures.Count > 0)));
        }

        var failover = options.FailoverConversations > 0 ? await FailoverAsync(options, cancellationToken) : null;

        output.WriteLine("## ClaudeActors bench: cluster");
        output.WriteLine();
        WriteMachine(output, start.Machine);
        output.WriteLine(Invariant($"- Every node a `dotnet ClaudeActors.Server.dll` process on this machine, one PostgreSQL database, nginx (deploy/nginx/claude-actors.conf) in front; per node `Workers:MaxConcurrency` = {ClusterSettings.WorkersPerNode}, `Sessions:MaxWarmProcesses` = 4, no standby process"));
        output.WriteLine(Invariant($"- {options.Conversations} conversations of {options.Turns} streamed turns (session ids), {options.PerNode} per node in flight; latency = one turn as the client sees it, from request to `[DONE]`"));
        output.WriteLine(Invariant($"- Load average (1, 5, 15 min): {start.LoadBefore} before, {MachineInfo.LoadAverage()} after; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        output.WriteLine();
        table.Write(output);
        if (failover is not null)
        {
            output.WriteLine();
            output.WriteLine(failover);
        }

        return 0;
    }

    /// <summary>
    /// Three nodes; each of <see cref="ClusterOptions.FailoverConversations"/> conversations has one turn; the node that
    /// served the most is killed, and the next turn of each of its conversations is sent at once (through nginx). The
    /// time until the first of them succeeds is the fail-over time.
    /// </summary>
    private static async Task<string> FailoverAsync(ClusterOptions options, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("[bench] fail-over: 3 nodes, kill -9 of one");
        await using var cluster = await TestCluster.StartAsync(3, ClusterSettings.ForTwoCores);
        DistinctAnswers.Use(cluster.Upstream);
        using var http = new HttpClient { BaseAddress = cluster.Proxy!.BaseUrl, Timeout = ClusterSettings.ClientTimeout };
        var load = new ConversationLoad(new ResilientChatClient(http), "failover", options.FailoverConversations, 2, options.FailoverConversations);
        await load.RunAsync(load.SessionIds, 1, 1, cancellationToken);
        var requests = cluster.Upstream.MessageRequests;
        var victim = cluster.Nodes.MaxBy(node => requests.Count(r => cluster.NodeOf(r) == node))!;
        var moved = load.SessionIds.Where(id => requests.Any(r => cluster.NodeOf(r) == victim && r.LastUserText == ConversationLoad.TextOf(id, 1))).ToList();
        await victim.KillAsync();
        var killed = DateTimeOffset.UtcNow;
        await load.RunAsync(moved, 2, 2, cancellationToken);
        var first = load.Outcomes.Where(o => o.Turn == 2).Min(o => o.Finished) - killed;
        var last = load.Outcomes.Where(o => o.Turn == 2).Max(o => o.Finished) - killed;
        return Invariant($"Fail-over (3 nodes, `Cluster:StableAfterSeconds` = 5): node {victim.Number} held {moved.Count} of {options.FailoverConversations} conversations; from its kill -9 to the first successful turn of one of them on another node: {first.TotalSeconds:0.0} s; to the last: {last.TotalSeconds:0.0} s.");
    }
}
