using ClaudeActors.Bench.Conversations;
using ClaudeActors.Bench.Measurement;
using static ClaudeActors.Bench.Measurement.ReportFormat;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>The ratio tables of the <c>sessions</c> report. Every ratio is slower ÷ faster candidate: above 1, the row wins.</summary>
internal static class SessionLatencyRatios
{
    public static void Write(TextWriter output, SessionLatencyOptions options, IReadOnlyList<PathResult> results)
    {
        var later = SessionLatencyReport.LaterLabel(options);
        output.WriteLine();
        output.WriteLine($"Turns {later} against turn 1 of the same path (turn 1 ÷ turns {later}; above 1: the later turns are faster):");
        output.WriteLine();
        var own = new ResultTable("Path", "TTFT p50", "TTFT p95", "Total p50", "Total p95");
        foreach (var result in results)
        {
            own.AddRow(
                result.Name,
                Ratio(result.FirstTurn.TimeToFirstToken.P50, result.LaterTurns.TimeToFirstToken.P50),
                Ratio(result.FirstTurn.TimeToFirstToken.P95, result.LaterTurns.TimeToFirstToken.P95),
                Ratio(result.FirstTurn.Total.P50, result.LaterTurns.Total.P50),
                Ratio(result.FirstTurn.Total.P95, result.LaterTurns.Total.P95));
        }

        own.Write(output);

        var fresh = Find(results, "(c)");
        var seeds = Find(results, "(d)");
        if (fresh is null && seeds is null)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Turns {later} against (c) and (d) (their time ÷ this path's; above 1: this path is faster):");
        output.WriteLine();
        var others = new ResultTable("Path", "TTFT p50 vs (c)", "TTFT p95 vs (c)", "Total p50 vs (c)", "TTFT p50 vs (d)", "TTFT p95 vs (d)", "Total p50 vs (d)");
        foreach (var result in results.Where(r => r != fresh && r != seeds).Append(fresh).OfType<PathResult>())
        {
            var mine = result.LaterTurns;
            others.AddRow(
                result.Name,
                Against(fresh, mine, c => c.TimeToFirstToken.P50),
                Against(fresh, mine, c => c.TimeToFirstToken.P95),
                Against(fresh, mine, c => c.Total.P50),
                Against(seeds, mine, c => c.TimeToFirstToken.P50),
                Against(seeds, mine, c => c.TimeToFirstToken.P95),
                Against(seeds, mine, c => c.Total.P50));
        }

        others.Write(output);
    }

    private static PathResult? Find(IReadOnlyList<PathResult> results, string prefix) =>
        results.FirstOrDefault(r => r.Name.StartsWith(prefix, StringComparison.Ordinal));

    private static string Against(PathResult? other, CellResult mine, Func<CellResult, TimeSpan> figure) =>
        other is null || other.LaterTurns == mine ? "n/a" : Ratio(figure(other.LaterTurns), figure(mine));
}
