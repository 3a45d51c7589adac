using ClaudeActors.Bench.Measurement;
using ClaudeActors.Bench.Overhead;
using static ClaudeActors.Bench.Measurement.ReportFormat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>Prints the <c>overhead</c> scenario as Markdown: set-up, one row per (path, concurrency), then what the Akka path adds.</summary>
internal static class OverheadReport
{
    public static void Write(TextWriter output, MachineInfo machine, OverheadOptions options, IReadOnlyList<OverheadCell> cells, string loadBefore)
    {
        output.WriteLine("## ClaudeActors bench: overhead (the Akka stream path against the previous release's channel)");
        output.WriteLine();
        ReportFormat.WriteHost(output, machine);
        output.WriteLine("- One process, no CLI, no HTTP: each turn streams its text deltas as fast as the reader takes them, so the times are the paths' own cost");
        output.WriteLine("- Akka: `Ask` to the conversation's actor (plain local `ActorSystem`), which materializes `Source.Queue<ChatEvent>(16, Backpressure)` into `StreamRefs.SourceRef`, answers with the ref (`PipeTo`) and offers each delta (`OfferAsync`); the caller runs `Source.RunAsAsyncEnumerable`");
        output.WriteLine("- Channel: the caller makes a bounded channel (64, single reader and writer) and posts it to the conversation's mailbox channel; the conversation's loop writes each delta to it; the caller reads `ReadAllAsync`");
        output.WriteLine(Invariant($"- Per path and level: {options.Turns} turns of {options.Deltas} deltas, c conversations running one turn at a time each (c turns at once), after {options.Warmup} warm-up turns; the measured turns in {options.Blocks} blocks, the paths taking turns"));
        output.WriteLine("- First delta: the caller's request to its first delta (Akka: ask, materialize, first element; channel: create, post, first element); per delta: a turn's whole time over its deltas");
        output.WriteLine("- Allocated: bytes allocated in the whole process per turn, both ends and the actor system");
        output.WriteLine(Invariant($"- Times in µs, percentiles interpolated between nearest ranks; measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        output.WriteLine($"- Load average (1, 5, 15 min): {loadBefore} before, {MachineInfo.LoadAverage()} after");
        output.WriteLine();
        WriteResults(output, cells);
        output.WriteLine();
        WriteAdded(output, cells);
        WriteFailures(output, cells);
    }

    private static void WriteResults(TextWriter output, IReadOnlyList<OverheadCell> cells)
    {
        var table = new ResultTable(
            "Path", "Concurrency", "Turns", "Failed", "First delta p50", "First delta p95", "Per delta mean", "Per delta p50", "Per delta p95", "Turns/s", "KiB allocated per turn");
        foreach (var cell in cells)
        {
            table.AddRow(
                cell.Path,
                Number(cell.Concurrency),
                Number(cell.Samples.Count),
                Number(cell.Failures),
                Micro(cell.FirstDelta.P50),
                Micro(cell.FirstDelta.P95),
                Number(cell.PerDeltaMeanMicroseconds, "0.00"),
                Number(cell.PerDeltaMicroseconds(0.50), "0.00"),
                Number(cell.PerDeltaMicroseconds(0.95), "0.00"),
                Number(cell.TurnsPerSecond, "0"),
                Number(cell.AllocatedPerTurn / 1024, "0.0"));
        }

        table.Write(output);
    }

    private static void WriteAdded(TextWriter output, IReadOnlyList<OverheadCell> cells)
    {
        output.WriteLine("What the Akka path adds: Akka − channel in µs (Akka / channel):");
        output.WriteLine();
        var table = new ResultTable("Concurrency", "First delta p50", "First delta p95", "Per delta mean", "Per delta p50", "Per delta p95");
        foreach (var group in cells.GroupBy(cell => cell.Concurrency))
        {
            var akka = group.First(cell => cell.Path.StartsWith("Akka", StringComparison.Ordinal));
            var channel = group.First(cell => !cell.Path.StartsWith("Akka", StringComparison.Ordinal));
            table.AddRow(
                Number(group.Key),
                Added(akka.FirstDelta.P50.TotalMicroseconds, channel.FirstDelta.P50.TotalMicroseconds, "0"),
                Added(akka.FirstDelta.P95.TotalMicroseconds, channel.FirstDelta.P95.TotalMicroseconds, "0"),
                Added(akka.PerDeltaMeanMicroseconds, channel.PerDeltaMeanMicroseconds, "0.00"),
                Added(akka.PerDeltaMicroseconds(0.50), channel.PerDeltaMicroseconds(0.50), "0.00"),
                Added(akka.PerDeltaMicroseconds(0.95), channel.PerDeltaMicroseconds(0.95), "0.00"));
        }

        table.Write(output);
    }

    private static void WriteFailures(TextWriter output, IReadOnlyList<OverheadCell> cells)
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

    private static string Micro(TimeSpan value) => Number(value.TotalMicroseconds, "0");

    private static string Added(double akka, double channel, string format) =>
        $"{(akka >= channel ? "+" : "")}{Number(akka - channel, format)} ({Ratio(akka, channel)})";
}
