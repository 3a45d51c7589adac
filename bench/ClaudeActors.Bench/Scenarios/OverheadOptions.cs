namespace ClaudeActors.Bench.Scenarios;

/// <summary>Options of the <c>overhead</c> scenario, with their defaults.</summary>
internal sealed record OverheadOptions
{
    public static IReadOnlyList<string> Help { get; } =
    [
        "--concurrency 1,8            turns running at once (one conversation each), comma-separated (default 1,8)",
        "--turns N                    measured turns per path and level (default 2000)",
        "--deltas N                   text deltas per turn (default 200)",
        "--warmup N                   unmeasured turns per path and level first (default 200)",
        "--blocks N                   the measured turns run in N blocks, the paths taking turns (default 4)",
    ];

    private static readonly string[] Names = ["concurrency", "turns", "deltas", "warmup", "blocks"];

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 8];

    public int Turns { get; init; } = 2000;

    public int Deltas { get; init; } = 200;

    public int Warmup { get; init; } = 200;

    public int Blocks { get; init; } = 4;

    public static OverheadOptions From(BenchArguments arguments)
    {
        arguments.EnsureOnly(Names);
        var options = new OverheadOptions
        {
            Concurrency = arguments.GetIntList("concurrency", [1, 8], min: 1, max: 256),
            Turns = arguments.GetInt("turns", 2000, min: 1, max: 1_000_000),
            Deltas = arguments.GetInt("deltas", 200, min: 1, max: 100_000),
            Warmup = arguments.GetInt("warmup", 200, min: 0, max: 1_000_000),
            Blocks = arguments.GetInt("blocks", 4, min: 1, max: 1_000),
        };
        return options.Blocks <= options.Turns ? options : throw new ArgumentException("Option --blocks cannot be more than --turns.");
    }

    /// <summary>The measured turns of block <paramref name="block"/> (0-based): the turns split as evenly as they go.</summary>
    public int TurnsInBlock(int block) => (Turns / Blocks) + (block < Turns % Blocks ? 1 : 0);
}
