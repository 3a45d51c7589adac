using ClaudeActors.Bench.Chat;
using ClaudeActors.Bench.Conversations;
using ClaudeActors.Bench.Measurement;
using static ClaudeActors.Bench.Measurement.ReportFormat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>
/// Prints the <c>sessions</c> scenario as Markdown: set-up, turn 1 and turns 2..T per path, the process checks of the
/// paths the server keeps, then ratios (later turns against turn 1, and against the fresh-process paths).
/// </summary>
internal static class SessionLatencyReport
{
    public static void Write(TextWriter output, MachineInfo machine, SessionLatencyOptions options, IReadOnlyList<PathResult> results, string loadBefore)
    {
        WriteSetup(output, machine, options);
        output.WriteLine($"- Load average (1, 5, 15 min): {loadBefore} before, {MachineInfo.LoadAverage()} after");
        output.WriteLine();
        WriteResults(output, options, results);
        SessionLatencyRatios.Write(output, options, results);
        WriteChecks(output, options, results);
        WriteFailures(output, results);
    }

    private static void WriteSetup(TextWriter output, MachineInfo machine, SessionLatencyOptions options)
    {
        var later = LaterLabel(options);
        output.WriteLine($"## ClaudeActors bench: sessions (turn 1 vs turns {later} of a conversation)");
        output.WriteLine();
        ReportFormat.WriteMachine(output, machine);
        output.WriteLine(Invariant($"- Upstream answer: about {ConversationScript.Answer("a1", 1).Length} characters (naming the conversation and turn) in {options.Chunks} text deltas, {options.ChunkDelay.TotalMilliseconds:0} ms apart"));
        output.WriteLine(Invariant($"- Per path: {options.Conversations} conversations of {options.Turns} turns, streamed, {options.Concurrency} conversation(s) at a time, turns of a conversation one after the other; first {options.Warmup} unmeasured 2-turn conversation(s)"));
        output.WriteLine(Invariant($"- Gateway per path (a-c): `Workers:MaxConcurrency` = {options.Concurrency}, `Sessions:MaxWarmProcesses` = {options.MaxWarmProcesses}"));
        output.WriteLine("- (a) `session_id` in the body, only the new message; (b) no id, the whole history every turn, `AutoSessions` on (the default); "
            + "(c) the same requests with `Sessions:AutoSessions=false`: a fresh CLI process per turn, the history written as a transcript it resumes; "
            + "(d) the seeds: a fresh `claude -p --output-format json --tools \"\"` per turn, the whole history pasted as `User: ...` / `Assistant: ...` lines, sliced after exit");
        output.WriteLine("- Every answer checked against the expected text of its conversation and turn; TTFT: send to first non-empty content; total: send to `[DONE]` / last slice");
        output.WriteLine(Invariant($"- Times in ms, percentiles interpolated between nearest ranks (turn 1: {options.Conversations} samples per path, so p95 is about the slowest); measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
    }

    private static void WriteResults(TextWriter output, SessionLatencyOptions options, IReadOnlyList<PathResult> results)
    {
        var table = new ResultTable("Path", "Turns", "N", "Failed", "TTFT p50", "TTFT p95", "Total p50", "Total p95");
        foreach (var result in results)
        {
            AddRow(table, result.Name, "1", result.FirstTurn);
            AddRow(table, result.Name, LaterLabel(options), result.LaterTurns);
        }

        table.Write(output);
    }

    private static void AddRow(ResultTable table, string path, string turns, CellResult cell) =>
        table.AddRow(
            path,
            turns,
            Number(cell.Samples.Count),
            Number(cell.Failures),
            Ms(cell.TimeToFirstToken.P50),
            Ms(cell.TimeToFirstToken.P95),
            Ms(cell.Total.P50),
            Ms(cell.Total.P95));

    private static void WriteChecks(TextWriter output, SessionLatencyOptions options, IReadOnlyList<PathResult> results)
    {
        var kept = results.Where(r => r.Checks.Count > 0).ToList();
        if (kept.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"`process.starts` from `GET /v1/sessions/{{id}}` after turn 1 and after turn {options.Turns}, per conversation (1 → 1 with the same pid: one warm process for the whole conversation):");
        output.WriteLine();
        var table = new ResultTable("Path", "process.starts (turn 1 → last)", "Same pid", "Same X-Session-Id");
        foreach (var result in kept)
        {
            table.AddRow(
                result.Name,
                string.Join(", ", result.Checks.Select(c => $"{Starts(c.AfterFirst)} → {Starts(c.AfterLast)}")),
                $"{Number(result.Checks.Count(c => c.AfterFirst?.Pid is not null && c.AfterFirst.Pid == c.AfterLast?.Pid))}/{Number(result.Checks.Count)}",
                $"{Number(result.Checks.Count(c => c.IdKept))}/{Number(result.Checks.Count)}");
        }

        table.Write(output);
    }

    private static void WriteFailures(TextWriter output, IReadOnlyList<PathResult> results)
    {
        foreach (var result in results.Where(r => r.Failures > 0 || !r.ChecksPassed))
        {
            output.WriteLine();
            output.WriteLine($"Problems of {result.Name}:");
            foreach (var error in result.Turns.Where(t => !t.Sample.Succeeded).Select(t => $"{t.Conversation} turn {t.Turn}: {t.Sample.Error}").Take(5))
            {
                output.WriteLine($"- {error}");
            }

            foreach (var check in result.Checks.Where(c => !c.OneWarmProcess))
            {
                output.WriteLine($"- {check.Conversation} ({check.SessionId}): process.starts {check.Describe()}");
            }
        }
    }

    public static string LaterLabel(SessionLatencyOptions options) => $"2..{Number(options.Turns)}";

    private static string Starts(SessionProcessInfo? info) => info is null ? "?" : Number(info.Starts);
}
