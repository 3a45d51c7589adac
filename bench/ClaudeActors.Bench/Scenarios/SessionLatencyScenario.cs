using System.Globalization;
using ClaudeActors.Bench.Chat;
using ClaudeActors.Bench.Conversations;
using ClaudeActors.Bench.Measurement;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>
/// Turn latency over multi-turn conversations: turn 1 against turns 2..T, by id and by stateless resend (warm process),
/// against a fresh process per turn (auto sessions off) and the seeds' pasted history. Each path gets a fresh gateway.
/// </summary>
internal sealed class SessionLatencyScenario : IScenario
{
    public string Name => "sessions";

    public string Description => "TTFT and total per turn, p50/p95, turn 1 vs turns 2..10: by id, by resend, fresh process per turn, the seeds' way.";

    public IReadOnlyList<string> OptionHelp => SessionLatencyOptions.Help;

    public async Task<int> RunAsync(BenchArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = SessionLatencyOptions.From(arguments);
        var (workload, cliPath, machine, loadBefore) = await BenchStart.CaptureAsync(options.Chunks, options.ChunkDelay, options.RequestTimeout, cancellationToken);

        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = workload.UpstreamReply();
        upstream.Responder = ConversationScript.Responder(workload);

        var results = new List<PathResult>();
        foreach (var path in options.Paths)
        {
            results.Add(await RunPathAsync(path, options, workload, cliPath, upstream.BaseUrl, cancellationToken));
        }

        SessionLatencyReport.Write(output, machine, options, results, loadBefore);
        return results.All(r => r.Failures == 0 && r.ChecksPassed) ? 0 : 1;
    }

    private static async Task<PathResult> RunPathAsync(
        char path, SessionLatencyOptions options, ChatWorkload workload, string cliPath, Uri upstream, CancellationToken cancellationToken)
    {
        if (path == 'd')
        {
            using var seeds = new SeedOneShotPath(cliPath, upstream, workload);
            return await MeasureAsync(path, new SeedConversationPath(seeds), null, options, cancellationToken);
        }

        await using var gateway = await StartGatewayAsync(upstream, options, autoSessions: path != 'c');
        var chat = new GatewayChat(gateway.Http, workload.RequestTimeout);
        IConversationPath conversations = path switch
        {
            'a' => new GatewayConversationPath("(a) by id (session_id, new message only)", chat, byId: true, hasSession: true),
            'b' => new GatewayConversationPath("(b) stateless resend, auto sessions", chat, byId: false, hasSession: true),
            _ => new GatewayConversationPath("(c) stateless resend, AutoSessions=false", chat, byId: false, hasSession: false),
        };
        return await MeasureAsync(path, conversations, gateway.Http, options, cancellationToken);
    }

    /// <summary>
    /// The gateway of one path: one worker per conversation in flight, a warm-process cap that holds all of them, and
    /// for path (c) no resend matching (the first issue's stateless path: a fresh CLI process per request).
    /// </summary>
    private static Task<TestGateway> StartGatewayAsync(Uri upstream, SessionLatencyOptions options, bool autoSessions) =>
        TestGateway.StartAsync(upstream, settings =>
        {
            settings["ClaudeActors:Workers:MaxConcurrency"] = options.Concurrency.ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Sessions:MaxWarmProcesses"] = options.MaxWarmProcesses.ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Sessions:AutoSessions"] = autoSessions ? "true" : "false";
            settings["ClaudeActors:Logging:Level"] = "Warning";
        });

    private static async Task<PathResult> MeasureAsync(
        char letter, IConversationPath path, HttpClient? sessionApi, SessionLatencyOptions options, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"[bench] {path.Name}: {options.Warmup} warm-up conversation(s) of 2 turns, then {options.Conversations} x {options.Turns} turns, {options.Concurrency} at a time");
        var warmup = await new ConversationRunner(path, null, turns: 2).RunAsync(Keys($"{letter}w", options.Warmup), 1, cancellationToken);
        if (warmup.Failures > 0)
        {
            Console.Error.WriteLine($"[bench]   warm-up: {warmup.Failures} turn(s) failed");
        }

        var result = await new ConversationRunner(path, sessionApi, options.Turns).RunAsync(Keys(letter.ToString(), options.Conversations), options.Concurrency, cancellationToken);
        Console.Error.WriteLine($"[bench]   done in {result.Wall.TotalSeconds:0.0} s, {result.Failures} failed");
        return result;
    }

    private static string[] Keys(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture))];
}
