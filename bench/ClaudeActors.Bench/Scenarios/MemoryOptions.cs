namespace ClaudeActors.Bench.Scenarios;

/// <summary>Options of the <c>memory</c> scenario, with their defaults.</summary>
internal sealed record MemoryOptions
{
    public static IReadOnlyList<string> Help { get; } =
    [
        "--conversations 50,200       open conversations per round, comma-separated; each round on a fresh gateway (default 50,200)",
        "--max-warm N                 Sessions:MaxWarmProcesses, the warm-process cap (default 16)",
        "--concurrency N              Workers:MaxConcurrency and first turns in flight while opening (default 4)",
        "--follow-ups N               conversations given one more turn: N most and N least recently used (default 10)",
        "--settle-seconds S           longest wait for passivations to end before measuring (default 60)",
        "--chunks N                   text deltas in the fake upstream's answer (default 8)",
        "--chunk-delay-ms MS          pause between upstream deltas (default 20)",
        "--request-timeout-seconds S  a turn taking longer counts as failed (default 120)",
    ];

    private static readonly string[] Names =
        ["conversations", "max-warm", "concurrency", "follow-ups", "settle-seconds", "chunks", "chunk-delay-ms", "request-timeout-seconds"];

    public IReadOnlyList<int> Conversations { get; init; } = [50, 200];

    public int MaxWarmProcesses { get; init; } = 16;

    public int Concurrency { get; init; } = 4;

    public int FollowUps { get; init; } = 10;

    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(60);

    public int Chunks { get; init; } = 8;

    public TimeSpan ChunkDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public static MemoryOptions From(BenchArguments arguments)
    {
        arguments.EnsureOnly(Names);
        return new MemoryOptions
        {
            Conversations = arguments.GetIntList("conversations", [50, 200], min: 1, max: 2_000),
            MaxWarmProcesses = arguments.GetInt("max-warm", 16, min: 1, max: 1_000),
            Concurrency = arguments.GetInt("concurrency", 4, min: 1, max: 32),
            FollowUps = arguments.GetInt("follow-ups", 10, min: 0, max: 100),
            Settle = TimeSpan.FromSeconds(arguments.GetInt("settle-seconds", 60, min: 0, max: 3_600)),
            Chunks = arguments.GetInt("chunks", 8, min: 1, max: 1_000),
            ChunkDelay = TimeSpan.FromMilliseconds(arguments.GetInt("chunk-delay-ms", 20, min: 0, max: 10_000)),
            RequestTimeout = TimeSpan.FromSeconds(arguments.GetInt("request-timeout-seconds", 120, min: 1, max: 3_600)),
        };
    }
}
