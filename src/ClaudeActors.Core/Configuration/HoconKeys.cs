using Akka.Configuration.Hocon;

namespace ClaudeActors.Configuration;

/// <summary>
/// Turns the <c>claude-actors { ... }</c> block of a parsed HOCON tree into configuration entries:
/// <c>claude-actors.workers.max-concurrency</c> becomes <c>ClaudeActors:Workers:MaxConcurrency</c>, a list the entries
/// <c>:0</c>, <c>:1</c>, ..., and <c>null</c> no entry at all (the options class keeps its default).
/// </summary>
internal static class HoconKeys
{
    /// <summary>The HOCON block our settings live in.</summary>
    public const string Root = "claude-actors";

    /// <summary>Sections whose keys are names of their own (model names, environment variables), copied as written.</summary>
    public static IReadOnlySet<string> VerbatimSections { get; } =
        new HashSet<string>(["ClaudeActors:Models:Map", "ClaudeActors:Cli:Environment"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Lists that are also taken as one value with <c>;</c> between items (ListSettings in the server expands them). HOCON
    /// gives them as that one value too, so that a value from any later source (an environment variable) replaces the
    /// whole list instead of mixing with HOCON's items.
    /// </summary>
    public static IReadOnlyList<string> ListsAsOneValue { get; } = ["ClaudeActors:Server:AllowedHosts", "ClaudeActors:Server:AllowedOrigins", "ClaudeActors:Cluster:SeedNodes"];

    /// <summary>The configuration entries of the <c>claude-actors</c> block in <paramref name="root"/>.</summary>
    public static Dictionary<string, string?> Flatten(HoconValue root)
    {
        var entries = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (root.IsObject() && root.GetObject().Items.TryGetValue(Root, out var block))
        {
            Walk(ToPascal(Root), block, entries);
        }

        return entries;
    }

    /// <summary><c>max-concurrency</c> becomes <c>MaxConcurrency</c>.</summary>
    public static string ToPascal(string kebab) =>
        string.Concat(kebab.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary><c>MaxConcurrency</c> becomes <c>max-concurrency</c>.</summary>
    public static string ToKebab(string pascal)
    {
        var text = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(pascal[i]));
        }

        return text.ToString();
    }

    /// <summary>The HOCON path of configuration key <paramref name="key"/> (<c>ClaudeActors:Workers:MaxConcurrency</c>).</summary>
    public static string PathOf(string key) => string.Join('.', key.Split(':').Select(ToKebab));

    private static void Walk(string key, HoconValue value, Dictionary<string, string?> entries)
    {
        if (value.IsObject())
        {
            var verbatim = VerbatimSections.Contains(key);
            foreach (var (name, child) in value.GetObject().Items)
            {
                Walk($"{key}:{(verbatim ? name : ToPascal(name))}", child, entries);
            }
        }
        else if (value.IsArray())
        {
            var items = value.GetArray();
            if (ListsAsOneValue.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                entries[key] = string.Join(';', items.Select(item => item.GetString()));
                return;
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].IsObject())
                {
                    // A list of objects (API keys): each item's settings under its index.
                    Walk($"{key}:{i}", items[i], entries);
                }
                else
                {
                    entries[$"{key}:{i}"] = items[i].GetString();
                }
            }
        }
        else if (value.GetString() is { } text)
        {
            entries[key] = text;
        }
    }
}
