using System.Diagnostics;
using System.Net.Http.Json;
using ClaudeActors.Bench.Measurement;
using ClaudeActors.Sessions;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Workers;
using static ClaudeActors.Bench.Measurement.ReportFormat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>
/// What requests refused with 429 leave behind: one turn holds the only worker (the fake upstream's gate) and the queue
/// takes nobody, so every further request is refused; memory, live conversations and the pool's queue are measured
/// before and after N of them. Each request would start a new conversation (a new history, or a new id).
/// </summary>
internal sealed class RefusedScenario : IScenario
{
    private const double MiB = 1024 * 1024;
    private const int WarmUp = 500;

    public string Name => "refused";

    public string Description => "Server memory, live conversations and queue before and after many requests refused with 429.";

    public IReadOnlyList<string> OptionHelp => RefusedOptions.Help;

    public async Task<int> RunAsync(BenchArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = RefusedOptions.From(arguments);
        var (_, _, machine, loadBefore) = await BenchStart.CaptureAsync(1, TimeSpan.Zero, TimeSpan.FromMinutes(2), cancellationToken);
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.DefaultReply = FakeReply.Gated("held", " done", gate);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, settings =>
        {
            settings["ClaudeActors:Workers:MaxConcurrency"] = "1";
            settings["ClaudeActors:Workers:MaxQueueLength"] = "0";
            settings["ClaudeActors:Logging:Level"] = "Error";
        });
        var registry = new ConversationCounts(gateway.Get<ClaudeActors.Conversations.ConversationClient>());
        var pool = gateway.Get<WorkerPool>();

        // The held turn waits at the gate for the whole run, however long the refused requests take.
        using var holder = new HttpClient { BaseAddress = gateway.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        var held = holder.PostAsJsonAsync("v1/chat/completions", Body("hold the only worker", null), cancellationToken);
        await gate.WaitUntilReachedAsync(TimeSpan.FromMinutes(2));
        var warmUp = await RefuseAsync(gateway.Http, WarmUp, options, "w", cancellationToken);
        var before = MemorySnapshot.Take("one turn held, after the warm-up", 0, registry.WarmProcesses, registry.LiveConversations);
        Console.Error.WriteLine($"[bench] sending {options.Requests} requests, {options.Concurrency} at a time");
        var clock = Stopwatch.StartNew();
        var refused = await RefuseAsync(gateway.Http, options.Requests, options, "r", cancellationToken);
        var elapsed = clock.Elapsed;
        var after = MemorySnapshot.Take($"after {options.Requests} more", 0, registry.WarmProcesses, registry.LiveConversations);
        var queued = pool.Queued;
        gate.Release();
        (await held).Dispose();

        output.WriteLine("## ClaudeActors bench: refused requests");
        output.WriteLine();
        ReportFormat.WriteMachine(output, machine);
        output.WriteLine(Invariant($"- `Workers:MaxConcurrency` = 1, `Workers:MaxQueueLength` = 0, one turn held at the fake upstream's gate; {options.Concurrency} requests in flight, each a new {(options.ById ? "session id" : "stateless history")}; {WarmUp} refused first as a warm-up"));
        output.WriteLine("- Server RSS = `VmRSS` of this process (the gateway runs in-process with the bench's client and the fake upstream); managed heap after a full collection");
        output.WriteLine(Invariant($"- Load average (1, 5, 15 min): {loadBefore} before, {MachineInfo.LoadAverage()} after; {options.Requests / elapsed.TotalSeconds:0} requests/s; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        output.WriteLine();
        var table = new ResultTable("Stage", "Refused (429)", "Other answers", "Live conversations", "Queued", "Server RSS MiB", "Managed heap MiB");
        table.AddRow(before.Stage, Number(warmUp.Refused), Number(warmUp.Other), Number(before.LiveActors), "", Number(before.ServerResident / MiB, "0"), Number(before.ManagedHeap / MiB, "0.0"));
        table.AddRow(after.Stage, Number(refused.Refused), Number(refused.Other), Number(after.LiveActors), Number(queued), Number(after.ServerResident / MiB, "0"), Number(after.ManagedHeap / MiB, "0.0"));
        table.Write(output);
        return warmUp.Other + refused.Other == 0 ? 0 : 1;
    }

    private static async Task<(int Refused, int Other)> RefuseAsync(HttpClient http, int count, RefusedOptions options, string prefix, CancellationToken cancellationToken)
    {
        var refused = 0;
        var other = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var key = $"{prefix}-{i}";
                using var response = await http.PostAsJsonAsync("v1/chat/completions", Body("question " + key, options.ById ? key : null), token);
                Interlocked.Increment(ref (int)response.StatusCode == 429 ? ref refused : ref other);
            });
        return (refused, other);
    }

    private static object Body(string text, string? sessionId) =>
        new { session_id = sessionId, messages = new[] { new { role = "user", content = text } } };
}
