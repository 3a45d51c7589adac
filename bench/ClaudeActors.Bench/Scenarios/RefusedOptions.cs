namespace ClaudeActors.Bench.Scenarios;

/// <summary>Options of the <c>refused</c> scenario, with their defaults.</summary>
internal sealed record RefusedOptions
{
    public static IReadOnlyList<string> Help { get; } =
    [
        "--requests N                 requests refused with 429 after the baseline (default 20000)",
        "--concurrency N              requests in flight (default 8)",
        "--new history|id             what makes each request a new conversation: a new stateless history (default) or a new session id",
    ];

    private static readonly string[] Names = ["requests", "concurrency", "new"];

    public int Requests { get; init; } = 20_000;

    public int Concurrency { get; init; } = 8;

    public bool ById { get; init; }

    public static RefusedOptions From(BenchArguments arguments)
    {
        arguments.EnsureOnly(Names);
        return new RefusedOptions
        {
            Requests = arguments.GetInt("requests", 20_000, min: 1, max: 10_000_000),
            Concurrency = arguments.GetInt("concurrency", 8, min: 1, max: 256),
            ById = arguments.GetString("new") switch
            {
                null or "history" => false,
                "id" => true,
                var other => throw new ArgumentException($"Option --new must be history or id, not '{other}'."),
            },
        };
    }
}
