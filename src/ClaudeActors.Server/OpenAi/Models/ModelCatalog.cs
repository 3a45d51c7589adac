using Microsoft.Extensions.Options;

namespace ClaudeActors.Server.OpenAi.Models;

/// <summary>The models the server offers, and how a request's model name becomes the CLI's <c>--model</c>.</summary>
internal sealed class ModelCatalog
{
    /// <summary>The CLI's own aliases, as its documentation lists them.</summary>
    public static IReadOnlyList<string> CliAliases { get; } =
        ["default", "best", "sonnet", "opus", "haiku", "sonnet[1m]", "opus[1m]", "opusplan"];

    /// <summary>Names that mean "no --model": the account default (or the configured default model).</summary>
    public static IReadOnlySet<string> Placeholders { get; } =
        new HashSet<string>(["", "default", "auto", "claude", "claude-cli"], StringComparer.OrdinalIgnoreCase);

    private readonly ModelOptions _options;

    public ModelCatalog(IOptions<ModelOptions> options, TimeProvider time)
    {
        _options = options.Value;
        Created = time.GetUtcNow().ToUnixTimeSeconds();
    }

    /// <summary>When this server started, reported as the models' creation time.</summary>
    public long Created { get; }

    /// <summary>The CLI model for a request's model name; null adds no <c>--model</c>.</summary>
    public string? Resolve(string? requested)
    {
        var name = requested?.Trim() ?? "";
        if (Placeholders.Contains(name))
        {
            var fallback = _options.DefaultModel?.Trim() ?? "";
            return Placeholders.Contains(fallback) ? null : Map(fallback);
        }

        return Map(name);
    }

    /// <summary>Every model id the server lists, with what it maps to (null for the CLI's own names).</summary>
    public IEnumerable<(string Id, string? MapsTo)> List()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var alias in CliAliases.Concat(_options.ExtraModels))
        {
            if (seen.Add(alias))
            {
                yield return (alias, null);
            }
        }

        foreach (var (name, target) in _options.Map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (seen.Add(name))
            {
                yield return (name, target);
            }
        }
    }

    /// <summary>The listed entry for <paramref name="id"/>; full Claude ids are known too, as the CLI takes them.</summary>
    public (string Id, string? MapsTo)? Find(string id)
    {
        foreach (var entry in List())
        {
            if (string.Equals(entry.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return id.StartsWith("claude-", StringComparison.OrdinalIgnoreCase) ? (id, null) : null;
    }

    private string Map(string name) => _options.Map.TryGetValue(name, out var target) ? target : name;
}
