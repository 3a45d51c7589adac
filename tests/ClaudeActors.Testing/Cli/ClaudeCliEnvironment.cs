namespace ClaudeActors.Testing.Cli;

/// <summary>
/// Environment variables that point the real Claude Code CLI at a fake upstream with no login and no other traffic.
/// </summary>
/// <remarks>
/// <c>CLAUDE_CODE_MAX_RETRIES</c> is deliberately not set: the server under test decides how the CLI retries.
/// These are added to (or override) the inherited environment; variables such as <c>ANTHROPIC_AUTH_TOKEN</c>
/// or <c>CLAUDE_CODE_USE_BEDROCK</c> in the test runner's own environment are not removed.
/// </remarks>
public static class ClaudeCliEnvironment
{
    /// <summary>The API key the CLI sends (<c>x-api-key</c>); the fake accepts anything.</summary>
    public const string FakeApiKey = "sk-ant-fake-test-key";

    /// <summary>
    /// <c>ANTHROPIC_BASE_URL</c> (the upstream, without a trailing slash), <c>ANTHROPIC_API_KEY</c>,
    /// <c>DISABLE_TELEMETRY</c>, <c>CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC</c>, <c>DISABLE_AUTOUPDATER</c> and
    /// <c>CLAUDE_CONFIG_DIR</c> (<paramref name="configDir"/>: transcripts, settings; use a fresh folder per test).
    /// </summary>
    public static IReadOnlyDictionary<string, string> For(Uri upstream, string configDir)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentException.ThrowIfNullOrEmpty(configDir);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ANTHROPIC_BASE_URL"] = upstream.ToString().TrimEnd('/'),
            ["ANTHROPIC_API_KEY"] = FakeApiKey,
            ["DISABLE_TELEMETRY"] = "1",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["CLAUDE_CONFIG_DIR"] = configDir,
        };
    }
}
