using System.Globalization;
using ClaudeActors.Bench.Chat;
using ClaudeActors.Bench.Measurement;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>
/// Time to first token and total time of one-turn chats, our streaming server against the seeds' process per request,
/// both with the real CLI and the same fake upstream, at each concurrency level.
/// </summary>
internal sealed class ChatLatencyScenario : IScenario
{
    public string Name => "chat";

    public string Description => "TTFT and total time, p50/p95: our server (streaming) vs. the seeds' `claude -p` per request.";

    public IReadOnlyList<string> OptionHelp => ChatLatencyOptions.Help;

    public async Task<int> RunAsync(BenchArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ChatLatencyOptions.From(arguments);
        var (workload, cliPath, machine, loadBefore) = await BenchStart.CaptureAsync(options.Chunks, options.ChunkDelay, options.RequestTimeout, cancellationToken);

        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = workload.UpstreamReply();
        using var seeds = new SeedOneShotPath(cliPath, upstream.BaseUrl, workload);

        var cells = new List<CellResult>();
        foreach (var concurrency in options.Concurrency)
        {
            var requests = options.RequestsAt(concurrency);
            await using (var gateway = await StartGatewayAsync(upstream.BaseUrl, concurrency, requests))
            {
                var ours = new GatewayStreamingPath(gateway.Http, workload);
                cells.Add(await MeasureAsync(ours, concurrency, requests, options.Warmup, cancellationToken));
            }

            cells.Add(await MeasureAsync(seeds, concurrency, requests, options.Warmup, cancellationToken));
        }

        ChatLatencyReport.Write(output, machine, options, cells, loadBefore);
        return cells.Sum(cell => cell.Failures) == 0 ? 0 : 1;
    }

    /// <summary>Our server with one worker per concurrency slot and a queue that never turns a request away.</summary>
    private static Task<TestGateway> StartGatewayAsync(Uri upstream, int concurrency, int requests) =>
        TestGateway.StartAsync(upstream, settings =>
        {
            settings["ClaudeActors:Workers:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Workers:MaxQueueLength"] = Math.Max(64, requests).ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Logging:Level"] = "Warning";
        });

    private static async Task<CellResult> MeasureAsync(IChatPath path, int concurrency, int requests, int warmup, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"[bench] {path.Name}, concurrency {concurrency}: {warmup} warm-up, then {requests} requests");
        for (var i = 0; i < warmup; i++)
        {
            var sample = await path.SendAsync(cancellationToken);
            if (!sample.Succeeded)
            {
                Console.Error.WriteLine($"[bench]   warm-up failed: {sample.Error}");
            }
        }

        var cell = await LoadRunner.RunAsync(path.Name, concurrency, requests, path.SendAsync, cancellationToken);
        Console.Error.WriteLine($"[bench]   done in {cell.Wall.TotalSeconds:0.0} s, {cell.Failures} failed");
        return cell;
    }
}
