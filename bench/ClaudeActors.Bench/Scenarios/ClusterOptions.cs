namespace ClaudeActors.Bench.Scenarios;

/// <summary>Options of the <c>cluster</c> scenario, with their defaults.</summary>
internal sealed record ClusterOptions
{
    public static IReadOnlyList<string> Help { get; } =
    [
        "--nodes LIST                 cluster sizes to measure, comma-separated (default 1,2,3)",
        "--conversations N            conversations per cluster size (default 30)",
        "--turns N                    turns per conversation (default 5)",
        "--per-node N                 conversations in flight per node, = each node's worker limit (default 3)",
        "--failover-conversations N   conversations started before a node is killed, for the fail-over time (default 12; 0 skips it)",
    ];

    private static readonly string[] Names = ["nodes", "conversations", "turns", "per-node", "failover-conversations"];

    public IReadOnlyList<int> Nodes { get; init; } = [1, 2, 3];

    public int Conversations { get; init; } = 30;

    public int Turns { get; init; } = 5;

    public int PerNode { get; init; } = 3;

    public int FailoverConversations { get; init; } = 12;

    public static ClusterOptions From(BenchArguments arguments)
    {
        arguments.EnsureOnly(Names);
        var nodes = arguments.GetString("nodes") is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => int.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 5
                    ? count
                    : throw new ArgumentException($"Option --nodes takes counts from 1 to 5, not '{n}'."))
                .ToList()
            : [1, 2, 3];
        return new ClusterOptions
        {
            Nodes = nodes,
            Conversations = arguments.GetInt("conversations", 30, min: 1, max: 10_000),
            Turns = arguments.GetInt("turns", 5, min: 1, max: 100),
            PerNode = arguments.GetInt("per-node", 3, min: 1, max: 64),
            FailoverConversations = arguments.GetInt("failover-conversations", 12, min: 0, max: 1000),
        };
    }
}
