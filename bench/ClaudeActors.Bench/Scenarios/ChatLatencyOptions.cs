namespace ClaudeActors.Bench.Scenarios;

/// <summary>Options of the <c>chat</c> scenario, with their defaults.</summary>
internal sealed record ChatLatencyOptions
{
    public static IReadOnlyList<string> Help { get; } =
    [
        "--concurrency 1,8            concurrency levels, comma-separated (default 1,8)",
        "--requests N                 measured requests per cell (default 20 at c=1, max(20, 5*c) above)",
        "--warmup N                   warm-up requests per path and level, not measured (default 2)",
        "--chunks N                   text deltas in the fake upstream's answer (default 8)",
        "--chunk-delay-ms MS          pause between upstream deltas (default 20)",
        "--request-timeout-seconds S  a request taking longer counts as failed (default 120)",
    ];

    private static readonly string[] Names = ["concurrency", "requests", "warmup", "chunks", "chunk-delay-ms", "request-timeout-seconds"];

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 8];

    /// <summary>Null: the default per level (<see cref="RequestsAt"/>).</summary>
    public int? Requests { get; init; }

    public int Warmup { get; init; } = 2;

    public int Chunks { get; init; } = 8;

    public TimeSpan ChunkDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public static ChatLatencyOptions From(BenchArguments arguments)
    {
        arguments.EnsureOnly(Names);
        return new ChatLatencyOptions
        {
            Concurrency = arguments.GetIntList("concurrency", [1, 8], min: 1, max: 64),
            Requests = arguments.GetInt("requests", min: 1, max: 10_000),
            Warmup = arguments.GetInt("warmup", 2, min: 0, max: 100),
            Chunks = arguments.GetInt("chunks", 8, min: 1, max: 1_000),
            ChunkDelay = TimeSpan.FromMilliseconds(arguments.GetInt("chunk-delay-ms", 20, min: 0, max: 10_000)),
            RequestTimeout = TimeSpan.FromSeconds(arguments.GetInt("request-timeout-seconds", 120, min: 1, max: 3_600)),
        };
    }

    /// <summary>Measured requests at a concurrency level: <see cref="Requests"/>, or 20 at 1 and 5 per slot above.</summary>
    public int RequestsAt(int concurrency) => Requests ?? Math.Max(20, 5 * concurrency);
}
