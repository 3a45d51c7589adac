using System.Globalization;
using System.Text.RegularExpressions;
using ClaudeActors.Configuration;
using ClaudeActors.Server.Hosting;

namespace ClaudeActors.UnitTests.Configuration;

/// <summary>
/// The README's configuration table (read only) and hocon/claude-actors.conf agree: each row's default is the HOCON
/// default, and each HOCON setting has a row.
/// </summary>
public sealed partial class ReadmeConfigurationTableTests
{
    [Fact]
    public void EveryReadmeRow_HasTheHoconDefault()
    {
        var hocon = HoconFiles.Shipped();
        var rows = ReadmeRows();

        var mismatches = rows.Select(row => Mismatch(hocon, row)).OfType<string>().ToList();

        Assert.True(rows.Count >= 25, $"only {rows.Count} rows found in the README's configuration table");
        Assert.True(mismatches.Count == 0, "README rows that disagree with hocon/claude-actors.conf:\n" + string.Join('\n', mismatches));
    }

    [Fact]
    public void EveryHoconSetting_HasAReadmeRow()
    {
        var documented = ReadmeRows().Select(row => row.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = HoconFiles.LeafKeys(HoconFiles.Shipped()).Where(key => !documented.Contains(key)).ToList();

        Assert.True(missing.Count == 0, "HOCON settings without a row in the README's configuration table: " + string.Join(", ", missing));
    }

    [Fact]
    public void Mismatch_ReadsEachKindOfDefaultCell()
    {
        var hocon = ClaudeActorsHocon.FromText("""
            claude-actors {
              workers.max-concurrency = 4
              retry.base-backoff-seconds = 2.0
              cli.tools = ""
              cli.working-directory = null
              server.allowed-hosts = []
              models.map { "gpt-4o" = sonnet, "o1" = opus }
            }
            """);

        Assert.Null(Mismatch(hocon, new("ClaudeActors:Workers:MaxConcurrency", "4")));
        Assert.NotNull(Mismatch(hocon, new("ClaudeActors:Workers:MaxConcurrency", "8")));
        Assert.Null(Mismatch(hocon, new("ClaudeActors:Retry:BaseBackoffSeconds", "2")));
        Assert.Null(Mismatch(hocon, new("ClaudeActors:Cli:Tools", "(empty)")));
        Assert.Null(Mismatch(hocon, new("ClaudeActors:Cli:WorkingDirectory", "`<data>/workspace`")));
        Assert.NotNull(Mismatch(hocon, new("ClaudeActors:Workers:MaxConcurrency", "(none)")));
        Assert.Null(Mismatch(hocon, new("ClaudeActors:Server:AllowedHosts", "`localhost`, `*.localhost`, `127.0.0.1`, `[::1]`")));
        Assert.NotNull(Mismatch(hocon, new("ClaudeActors:Server:AllowedHosts", "`localhost`")));
        Assert.Null(Mismatch(hocon, new("ClaudeActors:Models:Map", "gpt-4o=sonnet, …")));
        Assert.NotNull(Mismatch(hocon, new("ClaudeActors:Models:Map", "gpt-4o=opus, …")));
        Assert.NotNull(Mismatch(hocon, new("ClaudeActors:Workers:NoSuchThing", "1")));
    }

    /// <summary>The rows <c>| `ClaudeActors:...` | env | default | meaning |</c>; <c>Map:&lt;name&gt;</c> becomes <c>Map</c>.</summary>
    private static List<ReadmeRow> ReadmeRows()
    {
        var rows = new List<ReadmeRow>();
        foreach (var line in File.ReadLines(Path.Combine(HoconFiles.RepositoryRoot(), "README.md")))
        {
            var cells = line.Split('|');
            if (cells.Length >= 5 && KeyCell().Match(cells[1].Trim()) is { Success: true } key)
            {
                rows.Add(new ReadmeRow(key.Groups["key"].Value, cells[3].Trim()));
            }
        }

        return rows;
    }

    /// <summary>Why <paramref name="row"/> disagrees with <paramref name="hocon"/>, or null when it agrees.</summary>
    private static string? Mismatch(ClaudeActorsHocon hocon, ReadmeRow row)
    {
        var path = HoconKeys.PathOf(row.Key);
        if (!hocon.Merged.HasPath(path))
        {
            return $"{row.Key}: not in the HOCON file ({path})";
        }

        var settings = hocon.Settings;
        var cell = row.Default;
        string? problem;
        if (HoconKeys.VerbatimSections.Contains(row.Key))
        {
            var map = HoconFiles.MapOf(settings, row.Key);
            var pairs = Pair().Matches(cell).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value)).ToList();
            problem = pairs.Where(p => map.GetValueOrDefault(p.Item1) != p.Item2).Select(p => $"{p.Item1}={p.Item2}").ToList() is { Count: > 0 } wrong
                ? $"HOCON maps differently: {string.Join(", ", wrong)}"
                : null;
        }
        else if (IsList(hocon, path))
        {
            var items = HoconFiles.ListOf(settings, row.Key);
            IReadOnlyList<string?> effective = items.Count > 0 ? items : EffectiveListDefault(row.Key);
            var documented = Code().Matches(cell).Select(m => m.Groups["code"].Value).ToList();
            problem = cell.Length == 0 && items.Count == 0 || documented.Count > 0 && documented.SequenceEqual(effective) || Prose(cell)
                ? null
                : $"HOCON list [{string.Join(", ", effective)}]";
        }
        else
        {
            var value = settings.GetValueOrDefault(row.Key);
            var text = Code().Replace(cell, m => m.Groups["code"].Value);
            problem = text switch
            {
                _ when text.Contains("<data>", StringComparison.Ordinal) || text.StartsWith('~') =>
                    value is null ? null : $"HOCON sets '{value}' where the default is worked out from the data directory",
                "(none)" => value is null ? null : $"HOCON sets '{value}'",
                "(empty)" or "(CLI default)" => string.IsNullOrEmpty(value) ? null : $"HOCON sets '{value}'",
                _ => SameValue(text, value) ? null : $"HOCON has '{value ?? "null"}'",
            };
        }

        return problem is null ? null : $"{row.Key}: README default '{cell}', {problem}";
    }

    private static bool IsList(ClaudeActorsHocon hocon, string path) =>
        hocon.Merged.GetValue(path) is { } value && (value.IsArray() || !value.IsString() && !value.IsObject());

    /// <summary>What an empty list means in the code (the loopback names for the allow lists).</summary>
    private static IReadOnlyList<string?> EffectiveListDefault(string key) => key switch
    {
        "ClaudeActors:Server:AllowedHosts" => [.. new ServerOptions().HostsAllowed()],
        "ClaudeActors:Server:AllowedOrigins" => [.. new ServerOptions().OriginsAllowed()],
        _ => [],
    };

    /// <summary>A cell that describes the default in words ("loopback origins (...)") cannot be compared.</summary>
    private static bool Prose(string cell) => cell.StartsWith("loopback origins", StringComparison.Ordinal);

    private static bool SameValue(string documented, string? value) =>
        value is not null && (string.Equals(documented, value, StringComparison.OrdinalIgnoreCase)
            || double.TryParse(documented, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a.Equals(b));

    [GeneratedRegex(@"^`(?<key>ClaudeActors(:[A-Za-z]+)+)(:<[a-z]+>)?`$")]
    private static partial Regex KeyCell();

    [GeneratedRegex("`(?<code>[^`]*)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"(?<name>[A-Za-z0-9.\-]+)=(?<value>[A-Za-z0-9.\-]+)")]
    private static partial Regex Pair();

    private sealed record ReadmeRow(string Key, string Default);
}
