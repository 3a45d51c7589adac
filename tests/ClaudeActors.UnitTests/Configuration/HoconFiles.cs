using System.Reflection;
using Akka.Configuration.Hocon;
using ClaudeActors.Cli;
using ClaudeActors.Configuration;
using ClaudeActors.Server.Hosting;

namespace ClaudeActors.UnitTests.Configuration;

/// <summary>Our HOCON file as shipped, the repository's README, and the options classes the settings bind to.</summary>
internal static class HoconFiles
{
    /// <summary>The HOCON file the build copied beside the tests, as the server reads it.</summary>
    public static ClaudeActorsHocon Shipped() => ClaudeActorsHocon.Load(ClaudeActorsHocon.DefaultsFile(AppContext.BaseDirectory));

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClaudeActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ClaudeActors.sln) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every options class: a type with <c>const string SectionName</c> under <c>ClaudeActors</c>, by section.</summary>
    public static IReadOnlyDictionary<string, Type> OptionsClasses() =>
        new[] { typeof(ClaudeActorsHocon).Assembly, typeof(CliOptions).Assembly, typeof(ServerOptions).Assembly }
            .SelectMany(assembly => assembly.GetTypes())
            .Select(type => (type, field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.field is { IsLiteral: true } && t.field.GetValue(null) is string name && name.StartsWith("ClaudeActors", StringComparison.Ordinal))
            .ToDictionary(t => (string)t.field!.GetValue(null)!, t => t.type);

    /// <summary>The settable instance properties of an options class: the settings it binds.</summary>
    public static IEnumerable<PropertyInfo> Settings(Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);

    /// <summary>Every leaf path under <c>claude-actors</c> (nulls, empty lists and empty objects included), as configuration keys.</summary>
    public static IReadOnlyList<string> LeafKeys(ClaudeActorsHocon hocon)
    {
        var keys = new List<string>();
        Walk(HoconKeys.ToPascal(HoconKeys.Root), hocon.Merged.GetValue(HoconKeys.Root), keys);
        return keys;

        static void Walk(string key, HoconValue value, List<string> keys)
        {
            if (value.IsObject() && !HoconKeys.VerbatimSections.Contains(key) && value.GetObject().Items.Count > 0)
            {
                foreach (var (name, child) in value.GetObject().Items)
                {
                    Walk($"{key}:{HoconKeys.ToPascal(name)}", child, keys);
                }
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    /// <summary>The items of list setting <paramref name="key"/> in <paramref name="settings"/>, however flattened.</summary>
    public static IReadOnlyList<string?> ListOf(IReadOnlyDictionary<string, string?> settings, string key)
    {
        if (settings.TryGetValue(key, out var joined) && joined is not null)
        {
            return joined.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var items = new List<string?>();
        for (var i = 0; settings.TryGetValue($"{key}:{i}", out var item); i++)
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>The entries of map setting <paramref name="key"/> in <paramref name="settings"/>.</summary>
    public static Dictionary<string, string?> MapOf(IReadOnlyDictionary<string, string?> settings, string key) =>
        settings.Where(entry => entry.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(entry => entry.Key[(key.Length + 1)..], entry => entry.Value, StringComparer.OrdinalIgnoreCase);
}
