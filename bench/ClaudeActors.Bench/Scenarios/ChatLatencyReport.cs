using ClaudeActors.Bench.Chat;
using ClaudeActors.Bench.Measurement;
using static ClaudeActors.Bench.Measurement.ReportFormat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>Prints the <c>chat</c> scenario as Markdown: set-up, one row per (path, concurrency), then seeds/ours ratios.</summary>
internal static class ChatLatencyReport
{
    public static void Write(TextWriter output, MachineInfo machine, ChatLatencyOptions options, IReadOnlyList<CellResult> cells, string loadBefore)
    {
        WriteSetup(output, machine, options);
        output.WriteLine($"- Load average (1, 5, 15 min): {loadBefore} before, {MachineInfo.LoadAverage()} after");
        output.WriteLine();
        WriteResults(output, cells);
        output.WriteLine();
        WriteRatios(output, cells);
        WriteFailures(output, cells);
    }

    private static void WriteSetup(TextWriter output, MachineInfo machine, ChatLatencyOptions options)
    {
        var requests = string.Join(", ", options.Concurrency.Select(c => $"c={c}: {options.RequestsAt(c)}"));
        output.WriteLine("## ClaudeActors bench: chat (one-turn latency)");
        output.WriteLine();
        ReportFormat.WriteMachine(output, machine);
        output.WriteLine(Invariant($"- Upstream answer: {ChatWorkload.Answer.Length} characters in {options.Chunks} text deltas, {options.ChunkDelay.TotalMilliseconds:0} ms apart"));
        output.WriteLine("- ours: `POST /v1/chat/completions` with `\"stream\": true` (raw SSE); `Workers:MaxConcurrency` = concurrency, `MaxQueueLength` = max(64, N)");
        output.WriteLine($"- seeds: a fresh `claude -p --output-format json --tools \"\"` per request, prompt on stdin, `result` sliced into {options.Chunks} chunks after exit");
        output.WriteLine($"- Requests per cell: {requests}; warm-up: {options.Warmup} requests per path and level, not measured; at most c requests in flight");
        output.WriteLine("- TTFT: send to first non-empty content (ours: first SSE delta; seeds: first slice); total: send to `[DONE]` / last slice");
        output.WriteLine(Invariant($"- Times in ms, percentiles interpolated between nearest ranks; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
    }

    private static void WriteResults(TextWriter output, IReadOnlyList<CellResult> cells)
    {
        var table = new ResultTable("Path", "Concurrency", "N", "Failed", "TTFT p50", "TTFT p95", "Total p50", "Total p95", "req/s");
        foreach (var cell in cells)
        {
            table.AddRow(
                cell.Path,
                Number(cell.Concurrency),
                Number(cell.Samples.Count),
                Number(cell.Failures),
                Ms(cell.TimeToFirstToken.P50),
                Ms(cell.TimeToFirstToken.P95),
                Ms(cell.Total.P50),
                Ms(cell.Total.P95),
                Number(cell.RequestsPerSecond, "0.00"));
        }

        table.Write(output);
    }

    private static void WriteRatios(TextWriter output, IReadOnlyList<CellResult> cells)
    {
        output.WriteLine("Ratios seeds / ours (above 1: ours is faster); throughput ours / seeds:");
        output.WriteLine();
        var table = new ResultTable("Concurrency", "TTFT p50", "TTFT p95", "Total p50", "Total p95", "req/s");
        foreach (var group in cells.GroupBy(cell => cell.Concurrency))
        {
            var ours = group.First(cell => cell.Path.StartsWith("ours", StringComparison.Ordinal));
            var seeds = group.First(cell => cell.Path.StartsWith("seeds", StringComparison.Ordinal));
            table.AddRow(
                Number(group.Key),
                Ratio(seeds.TimeToFirstToken.P50, ours.TimeToFirstToken.P50),
                Ratio(seeds.TimeToFirstToken.P95, ours.TimeToFirstToken.P95),
                Ratio(seeds.Total.P50, ours.Total.P50),
                Ratio(seeds.Total.P95, ours.Total.P95),
                Ratio(ours.RequestsPerSecond, seeds.RequestsPerSecond));
        }

        table.Write(output);
    }

    private static void WriteFailures(TextWriter output, IReadOnlyList<CellResult> cells)
    {
        foreach (var cell in cells.Where(cell => cell.Failures > 0))
        {
            output.WriteLine();
            output.WriteLine($"Failures of {cell.Path} at concurrency {cell.Concurrency}:");
            foreach (var error in cell.Samples.Where(s => !s.Succeeded).Select(s => s.Error).Distinct().Take(5))
            {
                output.WriteLine($"- {error}");
            }
        }
    }
}
