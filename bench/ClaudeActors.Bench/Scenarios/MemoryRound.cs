using ClaudeActors.Bench.Conversations;
using ClaudeActors.Bench.Measurement;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>One round of the <c>memory</c> scenario: N conversations opened on a fresh gateway, and what was measured.</summary>
internal sealed record MemoryRound(
    int Conversations,
    MemorySnapshot Before,
    MemorySnapshot After,
    CellResult Opening,
    TimeSpan OpenTime,
    TimeSpan SettleTime,
    IReadOnlyList<FollowUp> FollowUps,
    UpstreamRecords UpstreamGrowth)
{
    public int Failures => Opening.Failures + FollowUps.Sum(f => f.Cell.Failures);
}
