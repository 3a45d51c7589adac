using System.Collections;

namespace ClaudeActors.Server.Hosting;

/// <summary>
/// The environment names of the first gateway this one replaces (<c>CLAUDE_MAX_CONCURRENCY</c>, ...), mapped to
/// configuration keys so its users can switch without edits. The usual <c>ClaudeActors__...</c> names work too.
/// </summary>
internal static class LegacyEnvironment
{
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        ["CLAUDE_MAX_CONCURRENCY"] = "ClaudeActors:Workers:MaxConcurrency",
        ["CLAUDE_TIMEOUT"] = "ClaudeActors:Workers:TimeoutSeconds",
        ["CLAUDE_MAX_RETRIES"] = "ClaudeActors:Retry:MaxRetries",
        ["CLAUDE_BASE_BACKOFF"] = "ClaudeActors:Retry:BaseBackoffSeconds",
        ["CLAUDE_API_PORT"] = "ClaudeActors:Server:Port",
        ["CLAUDE_API_HOST"] = "ClaudeActors:Server:BindAddress",
        ["CLAUDE_DEFAULT_MODEL"] = "ClaudeActors:Models:DefaultModel",
        ["CLAUDE_BIN"] = "ClaudeActors:Cli:BinaryPath",
        ["SESSION_TTL_SECONDS"] = "ClaudeActors:Sessions:TtlSeconds",
    };

    /// <summary>The configuration entries the legacy variables set in <paramref name="environment"/> stand for.</summary>
    public static Dictionary<string, string?> Read(IDictionary environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Names)
        {
            if (environment[variable] is string value && value.Length > 0)
            {
                values[key] = value;
            }
        }

        return values;
    }
}
