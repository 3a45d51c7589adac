namespace ClaudeActors.Bench.Scenarios;

/// <summary>Options of the <c>sessions</c> scenario, with their defaults.</summary>
internal sealed record SessionLatencyOptions
{
    public static IReadOnlyList<string> Help { get; } =
    [
        "--conversations K            measured conversations per path (default 6)",
        "--turns T                    turns per conversation (default 10)",
        "--concurrency C              conversations at a time, 1 or 2 (default 1; the turns of one conversation go one by one)",
        "--warmup N                   unmeasured 2-turn conversations per path first (default 1)",
        "--paths a,b,c,d              which paths: a by id, b resend, c resend without auto sessions, d seeds (default all)",
        "--chunks N                   text deltas in the fake upstream's answer (default 8)",
        "--chunk-delay-ms MS          pause between upstream deltas (default 20)",
        "--request-timeout-seconds S  a turn taking longer counts as failed (default 120)",
    ];

    private static readonly string[] Names = ["conversations", "turns", "concurrency", "warmup", "paths", "chunks", "chunk-delay-ms", "request-timeout-seconds"];

    public int Conversations { get; init; } = 6;

    public int Turns { get; init; } = 10;

    public int Concurrency { get; init; } = 1;

    public int Warmup { get; init; } = 1;

    public IReadOnlyList<char> Paths { get; init; } = ['a', 'b', 'c', 'd'];

    public int Chunks { get; init; } = 8;

    public TimeSpan ChunkDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The warm-process cap of the gateways: the default 16, or more when the conversations would not fit.</summary>
    public int MaxWarmProcesses => Math.Max(16, Conversations + Warmup);

    public static SessionLatencyOptions From(BenchArguments arguments)
    {
        arguments.EnsureOnly(Names);
        return new SessionLatencyOptions
        {
            Conversations = arguments.GetInt("conversations", 6, min: 1, max: 200),
            Turns = arguments.GetInt("turns", 10, min: 2, max: 100),
            Concurrency = arguments.GetInt("concurrency", 1, min: 1, max: 2),
            Warmup = arguments.GetInt("warmup", 1, min: 0, max: 10),
            Paths = ParsePaths(arguments.GetString("paths")),
            Chunks = arguments.GetInt("chunks", 8, min: 1, max: 1_000),
            ChunkDelay = TimeSpan.FromMilliseconds(arguments.GetInt("chunk-delay-ms", 20, min: 0, max: 10_000)),
            RequestTimeout = TimeSpan.FromSeconds(arguments.GetInt("request-timeout-seconds", 120, min: 1, max: 3_600)),
        };
    }

    private static char[] ParsePaths(string? text)
    {
        if (text is null)
        {
            return ['a', 'b', 'c', 'd'];
        }

        var paths = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (paths.Length == 0 || paths.Any(p => p is not ("a" or "b" or "c" or "d")))
        {
            throw new ArgumentException($"Option --paths takes letters from a, b, c, d separated by commas, not '{text}'.");
        }

        return [.. paths.Select(p => p[0]).Distinct().Order()];
    }
}
