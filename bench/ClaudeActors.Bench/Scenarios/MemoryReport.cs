using ClaudeActors.Bench.Conversations;
using ClaudeActors.Bench.Measurement;
using static ClaudeActors.Bench.Measurement.ReportFormat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>Prints the <c>memory</c> scenario as Markdown: set-up, memory before and after each round, then turn latencies.</summary>
internal static class MemoryReport
{
    private const double MiB = 1024 * 1024;

    public static void Write(TextWriter output, MachineInfo machine, MemoryOptions options, IReadOnlyList<MemoryRound> rounds, string loadBefore)
    {
        WriteSetup(output, machine, options);
        output.WriteLine($"- Load average (1, 5, 15 min): {loadBefore} before, {MachineInfo.LoadAverage()} after");
        output.WriteLine();
        WriteMemory(output, options, rounds);
        output.WriteLine();
        WriteGrowth(output, rounds);
        output.WriteLine();
        WriteLatency(output, rounds);
        WriteFailures(output, rounds);
    }

    private static void WriteSetup(TextWriter output, MachineInfo machine, MemoryOptions options)
    {
        output.WriteLine("## ClaudeActors bench: memory (open conversations under the warm-process cap)");
        output.WriteLine();
        ReportFormat.WriteMachine(output, machine);
        output.WriteLine(Invariant($"- Each round on a fresh gateway: `Sessions:MaxWarmProcesses` = {options.MaxWarmProcesses}, `Workers:MaxConcurrency` = {options.Concurrency}; N conversations by `session_id`, one streamed turn each, {options.Concurrency} in flight"));
        output.WriteLine(Invariant($"- Upstream answer: about {ConversationScript.Answer("m50-1", 1).Length} characters in {options.Chunks} text deltas, {options.ChunkDelay.TotalMilliseconds:0} ms apart; every answer checked"));
        output.WriteLine("- Memory measured once the passivations past the cap had ended: server = `VmRSS` of this process (the gateway runs in-process, so it includes the bench's client and the fake upstream); "
            + "CLI = the `claude` processes under this process (parent ids in `/proc/*/stat`), summed `VmRSS` (shared pages counted in each) and `Pss` (shared pages split); managed heap after a full collection");
        output.WriteLine(Invariant($"- Then turn 2, one at a time, for the {options.FollowUps} most recently used conversations (warm) and the {options.FollowUps} least recently used (passivated: a new process with `--resume`)"));
        output.WriteLine(Invariant($"- Times in ms unless marked, percentiles interpolated between nearest ranks; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
    }

    private static void WriteMemory(TextWriter output, MemoryOptions options, IReadOnlyList<MemoryRound> rounds)
    {
        var table = new ResultTable(
            "Stage", "Warm cap", "Warm processes", "Live actors", "CLI processes", "CLI RSS MiB", "CLI PSS MiB", "Server RSS MiB", "Managed heap MiB", "Server + CLI RSS MiB", "Open time s");
        foreach (var round in rounds)
        {
            AddRow(table, options, round.Before, "");
            AddRow(table, options, round.After, Number(round.OpenTime.TotalSeconds, "0.0"));
        }

        table.Write(output);
    }

    private static void AddRow(ResultTable table, MemoryOptions options, MemorySnapshot snapshot, string openTime) =>
        table.AddRow(
            snapshot.Stage,
            Number(options.MaxWarmProcesses),
            Number(snapshot.WarmProcesses),
            Number(snapshot.LiveActors),
            Number(snapshot.CliProcesses),
            Number(snapshot.CliResident / MiB, "0"),
            Number(snapshot.CliProportional / MiB, "0"),
            Number(snapshot.ServerResident / MiB, "0"),
            Number(snapshot.ManagedHeap / MiB, "0.0"),
            Number((snapshot.ServerResident + snapshot.CliResident) / MiB, "0"),
            openTime);

    private static void WriteGrowth(TextWriter output, IReadOnlyList<MemoryRound> rounds)
    {
        output.WriteLine("Per unit (after opening, against the warmed-up fresh gateway of the same round). The fake upstream records every request it gets, "
            + "in this process: its records' growth is shown apart, and is part of the server's RSS and heap growth:");
        output.WriteLine();
        var table = new ResultTable(
            "Conversations", "RSS per CLI process MiB", "PSS per CLI process MiB", "Server RSS growth per conversation KiB",
            "Managed heap growth per conversation KiB", "Upstream records per conversation KiB", "Upstream requests per conversation");
        foreach (var round in rounds)
        {
            var after = round.After;
            var count = round.Conversations;
            table.AddRow(
                Number(count),
                after.CliProcesses > 0 ? Number(after.CliResident / MiB / after.CliProcesses, "0") : "n/a",
                after.CliProcesses > 0 ? Number(after.CliProportional / MiB / after.CliProcesses, "0") : "n/a",
                Number((after.ServerResident - round.Before.ServerResident) / 1024.0 / count, "0"),
                Number((after.ManagedHeap - round.Before.ManagedHeap) / 1024.0 / count, "0.0"),
                Number(round.UpstreamGrowth.BodyBytes / 1024.0 / count, "0.0"),
                Number(round.UpstreamGrowth.Requests / (double)count, "0.0"));
        }

        table.Write(output);
    }

    private static void WriteLatency(TextWriter output, IReadOnlyList<MemoryRound> rounds)
    {
        output.WriteLine("Turn latency (process.starts from `GET /v1/sessions/{id}` after the turn):");
        output.WriteLine();
        var table = new ResultTable("Turn", "Open conversations", "N", "Failed", "Warm before", "TTFT p50", "TTFT p95", "Total p50", "Total p95", "process.starts after");
        foreach (var round in rounds)
        {
            AddLatencyRow(table, round.Conversations, $"turn 1, opening ({Number(round.Opening.Concurrency)} in flight)", round.Opening, "", "");
            foreach (var followUp in round.FollowUps)
            {
                AddLatencyRow(table, round.Conversations, followUp.Kind, followUp.Cell, followUp.WarmBefore, followUp.StartsAfter);
            }
        }

        table.Write(output);
    }

    private static void AddLatencyRow(ResultTable table, int conversations, string turn, CellResult cell, string warmBefore, string startsAfter) =>
        table.AddRow(
            turn,
            Number(conversations),
            Number(cell.Samples.Count),
            Number(cell.Failures),
            warmBefore,
            Ms(cell.TimeToFirstToken.P50),
            Ms(cell.TimeToFirstToken.P95),
            Ms(cell.Total.P50),
            Ms(cell.Total.P95),
            startsAfter);

    private static void WriteFailures(TextWriter output, IReadOnlyList<MemoryRound> rounds)
    {
        foreach (var round in rounds.Where(r => r.Failures > 0))
        {
            output.WriteLine();
            output.WriteLine($"Failures with {Number(round.Conversations)} conversations:");
            var cells = round.FollowUps.Select(f => f.Cell).Prepend(round.Opening);
            foreach (var error in cells.SelectMany(c => c.Samples).Where(s => !s.Succeeded).Select(s => s.Error).Distinct().Take(5))
            {
                output.WriteLine($"- {error}");
            }
        }
    }
}
