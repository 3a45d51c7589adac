using System.Diagnostics;
using System.Globalization;
using ClaudeActors.Bench.Chat;
using ClaudeActors.Bench.Conversations;
using ClaudeActors.Bench.Measurement;
using ClaudeActors.Sessions;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>
/// Memory with many open conversations under the warm-process cap: N conversations of one turn each on a fresh gateway,
/// then the server's and the CLI processes' resident memory, the warm processes and live actors; then one more turn
/// for the most recently used (warm) and the least recently used (passivated, resumed with <c>--resume</c>).
/// </summary>
internal sealed partial class MemoryScenario : IScenario
{
    public string Name => "memory";

    public string Description => "Resident memory with 50 and 200 open conversations under the warm-process cap, and turn latency after passivation.";

    public IReadOnlyList<string> OptionHelp => MemoryOptions.Help;

    public double DefaultMaxMinutes => 30;

    public async Task<int> RunAsync(BenchArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = MemoryOptions.From(arguments);
        var (workload, _, machine, loadBefore) = await BenchStart.CaptureAsync(options.Chunks, options.ChunkDelay, options.RequestTimeout, cancellationToken);

        var rounds = new List<MemoryRound>();
        foreach (var count in options.Conversations)
        {
            rounds.Add(await RunRoundAsync(count, options, workload, cancellationToken));
        }

        MemoryReport.Write(output, machine, options, rounds, loadBefore);
        return rounds.Sum(r => r.Failures) == 0 ? 0 : 1;
    }

    /// <summary>
    /// One round on a fresh fake upstream and gateway. The baseline is taken after two conversations were opened and
    /// deleted again, so that start-up work of the first requests (JIT, connection pools, journal) is not counted as
    /// the cost of the conversations.
    /// </summary>
    private static async Task<MemoryRound> RunRoundAsync(int count, MemoryOptions options, ChatWorkload workload, CancellationToken cancellationToken)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = workload.UpstreamReply();
        upstream.Responder = ConversationScript.Responder(workload);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, settings =>
        {
            settings["ClaudeActors:Workers:MaxConcurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Workers:MaxQueueLength"] = Math.Max(64, count).ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Sessions:MaxWarmProcesses"] = options.MaxWarmProcesses.ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Logging:Level"] = "Warning";
        });
        var registry = new ConversationCounts(gateway.Get<ClaudeActors.Conversations.ConversationClient>());
        var path = new GatewayConversationPath("by id", new GatewayChat(gateway.Http, workload.RequestTimeout), byId: true, hasSession: true);

        await WarmUpAsync(path, gateway.Http, count, cancellationToken);
        var upstreamBefore = UpstreamRecords.Of(upstream);
        var before = MemorySnapshot.Take("fresh gateway (warmed up)", 0, registry.WarmProcesses, registry.LiveConversations);

        var fleet = new ConversationFleet(path, gateway.Http);
        var keys = Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"m{count}-{i}")).ToList();
        Console.Error.WriteLine($"[bench] opening {count} conversations, {options.Concurrency} at a time, warm-process cap {options.MaxWarmProcesses}");
        var opening = Stopwatch.StartNew();
        var (turns, openTime) = await fleet.OpenAsync(keys, options.Concurrency, done => Progress(done, count, opening, registry), cancellationToken);

        var settle = await SettleAsync(registry, options, cancellationToken);
        var after = MemorySnapshot.Take($"after opening {count}", count, registry.WarmProcesses, registry.LiveConversations);
        var upstreamGrowth = UpstreamRecords.Of(upstream) - upstreamBefore;
        Console.Error.WriteLine($"[bench]   settled in {settle.TotalSeconds:0.0} s: warm {after.WarmProcesses}, live {after.LiveActors}, CLI processes {after.CliProcesses}");

        var followUps = await FollowUpsAsync(fleet, options, cancellationToken);
        return new MemoryRound(count, before, after, turns, openTime, settle, followUps, upstreamGrowth);
    }
}
