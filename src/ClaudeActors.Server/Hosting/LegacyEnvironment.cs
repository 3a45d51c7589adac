using System.Collections;
using System.Text.Json;

namespace ClaudeActors.Server.Hosting;

/// <summary>
/// The environment names of the two gateways this one replaces, mapped to configuration keys so their users can switch
/// without edits. The usual <c>ClaudeActors__...</c> names work too. Where both gateways name the same setting
/// (<c>CLAUDE_MAX_CONCURRENCY</c> and <c>MAX_CONCURRENT</c>, <c>CLAUDE_DEFAULT_MODEL</c> and <c>DEFAULT_MODEL</c>), the
/// first gateway's name wins.
/// </summary>
internal static class LegacyEnvironment
{
    /// <summary>The second gateway's <c>MODEL_MAP</c>: a JSON object of request model names and the CLI models they become.</summary>
    public const string ModelMapVariable = "MODEL_MAP";

    /// <summary>The first gateway's names (<c>CLAUDE_*</c>, and <c>SESSION_TTL_SECONDS</c>, which both gateways use).</summary>
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

    /// <summary>
    /// The second gateway's names, but for <see cref="ModelMapVariable"/> (read as JSON) and its <c>HOST</c> and
    /// <c>PORT</c>, which are left out on purpose: shells, containers and hosting platforms set those generic names for
    /// their own reasons, and <c>HOST=0.0.0.0</c> would silently undo the loopback default.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SecondGatewayNames { get; } = new Dictionary<string, string>
    {
        ["API_KEY"] = "ClaudeActors:Auth:ApiKey",
        ["DEFAULT_MODEL"] = "ClaudeActors:Models:DefaultModel",
        ["FALLBACK_MODEL"] = "ClaudeActors:Cli:FallbackModel",
        ["MAX_CONCURRENT"] = "ClaudeActors:Workers:MaxConcurrency",
        ["MAX_BUDGET_USD"] = "ClaudeActors:Cli:MaxBudgetUsd",
        ["WORKING_DIRECTORY"] = "ClaudeActors:Cli:WorkingDirectory",
    };

    /// <summary>
    /// The configuration entries the gateways' variables set in <paramref name="environment"/> stand for: the second
    /// gateway's first, then the first gateway's over them. Throws when <c>MODEL_MAP</c> is not a JSON object of strings.
    /// </summary>
    public static Dictionary<string, string?> Read(IDictionary environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Value(environment, ModelMapVariable) is { } map)
        {
            foreach (var (name, model) in ReadModelMap(map))
            {
                values["ClaudeActors:Models:Map:" + name] = model;
            }
        }

        foreach (var names in (IReadOnlyDictionary<string, string>[])[SecondGatewayNames, Names])
        {
            foreach (var (variable, key) in names)
            {
                if (Value(environment, variable) is { } value)
                {
                    values[key] = value;
                }
            }
        }

        return values;
    }

    private static string? Value(IDictionary environment, string variable) =>
        environment[variable] is string value && value.Length > 0 ? value : null;

    /// <summary><c>{"gpt-4":"opus","gpt-4o":"sonnet"}</c> as pairs; anything else stops start-up with a message naming the variable.</summary>
    private static List<(string Name, string Model)> ReadModelMap(string json)
    {
        const string shape = """MODEL_MAP must be a JSON object of request model names and the CLI models they become, e.g. {"gpt-4":"opus","gpt-4o":"sonnet"}""";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{shape}; it is not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"{shape}; it is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            var pairs = new List<(string, string)>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String || entry.Value.GetString() is not { Length: > 0 } model || entry.Name.Length == 0
                    || entry.Name.Contains(':', StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{shape}; the entry \"{entry.Name}\" is not a name without ':' mapped to a non-empty string.");
                }

                pairs.Add((entry.Name, model));
            }

            return pairs;
        }
    }
}
