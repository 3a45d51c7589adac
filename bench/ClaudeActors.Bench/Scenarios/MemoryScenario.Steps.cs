using System.Diagnostics;
using ClaudeActors.Bench.Conversations;
using ClaudeActors.Bench.Measurement;
using ClaudeActors.Sessions;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>The steps of a <c>memory</c> round around the measurement: warm-up, settling, follow-up turns, progress.</summary>
internal sealed partial class MemoryScenario
{
    /// <summary>Two conversations of one turn, then deleted (their processes end, their journal rows go).</summary>
    private static async Task WarmUpAsync(GatewayConversationPath path, HttpClient http, int count, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("[bench] warm-up: 2 conversations, opened and deleted");
        var warmup = new ConversationFleet(path, http);
        var keys = new[] { $"w{count}-1", $"w{count}-2" };
        var (turns, _) = await warmup.OpenAsync(keys, 1, _ => { }, cancellationToken);
        if (turns.Failures > 0)
        {
            Console.Error.WriteLine($"[bench]   warm-up: {turns.Failures} turn(s) failed");
        }

        foreach (var conversation in warmup.ByLastUse)
        {
            await SessionApi.DeleteAsync(http, conversation.SessionId!, cancellationToken);
        }

        var waited = Stopwatch.StartNew();
        while (ProcessMemory.CliChildren().Count > 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<FollowUp>> FollowUpsAsync(ConversationFleet fleet, MemoryOptions options, CancellationToken cancellationToken)
    {
        if (options.FollowUps == 0)
        {
            return [];
        }

        var byLastUse = fleet.ByLastUse;
        var recent = byLastUse.TakeLast(options.FollowUps).ToList();
        var oldest = byLastUse.Take(Math.Min(options.FollowUps, byLastUse.Count - recent.Count)).ToList();
        Console.Error.WriteLine($"[bench]   turn 2 for the {recent.Count} most recently used, then the {oldest.Count} least recently used");
        return
        [
            await fleet.NextTurnAsync($"turn 2, {recent.Count} most recently used (warm)", recent, cancellationToken),
            await fleet.NextTurnAsync($"turn 2, {oldest.Count} least recently used (resume after passivation)", oldest, cancellationToken),
        ];
    }

    private static void Progress(int done, int count, Stopwatch elapsed, ConversationCounts registry)
    {
        if (done % 10 == 0 || done == count)
        {
            Console.Error.WriteLine($"[bench]   {done}/{count} opened in {elapsed.Elapsed.TotalSeconds:0.0} s, warm {registry.WarmProcesses}, live {registry.LiveConversations}");
        }
    }

    /// <summary>
    /// Passivations past the cap run in the background: waits until the warm processes and the CLI processes are within
    /// the cap, or have not changed for 5 s (the cap is applied when a process starts, to idle conversations only), or
    /// <see cref="MemoryOptions.Settle"/> has passed.
    /// </summary>
    private static async Task<TimeSpan> SettleAsync(ConversationCounts registry, MemoryOptions options, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var stable = Stopwatch.StartNew();
        var last = (Warm: -1, Cli: -1);
        while (waited.Elapsed < options.Settle && stable.Elapsed < TimeSpan.FromSeconds(5))
        {
            var now = (Warm: registry.WarmProcesses, Cli: ProcessMemory.CliChildren().Count);
            if (now.Warm <= options.MaxWarmProcesses && now.Cli <= options.MaxWarmProcesses)
            {
                break;
            }

            if (now != last)
            {
                last = now;
                stable.Restart();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return waited.Elapsed;
    }
}
