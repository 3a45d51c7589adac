using System.Collections;
using ClaudeActors.Cli;
using ClaudeActors.Configuration;
using ClaudeActors.Hosting;
using ClaudeActors.Persistence;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Models;
using ClaudeActors.Sessions;
using ClaudeActors.Supervision;
using ClaudeActors.Workers;
using Microsoft.Extensions.Configuration;

namespace ClaudeActors.UnitTests.Configuration;

/// <summary>hocon/claude-actors.conf states every setting of the options classes, with the classes' own defaults.</summary>
public sealed class HoconDefaultsTests
{
    /// <summary>Settings whose default is worked out at run time; HOCON leaves them <c>null</c>.</summary>
    private static readonly HashSet<string> ComputedDefaults = new(["ClaudeActors:DataDirectory"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Settings read without an options class, and their defaults.</summary>
    private static readonly Dictionary<string, string> PlainSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        [ClaudeActorsLogging.LevelKey] = ClaudeActorsLogging.DefaultLevel.ToString(),
    };

    [Fact]
    public void OptionsClasses_AreAllFound()
    {
        var found = HoconFiles.OptionsClasses().Values;

        Assert.Superset(
            new HashSet<Type>([typeof(ClaudeActorsOptions), typeof(CliOptions), typeof(WorkerPoolOptions), typeof(RetryOptions), typeof(SessionOptions),
                typeof(JournalOptions), typeof(ServerOptions), typeof(ModelOptions)]),
            new HashSet<Type>(found));
    }

    [Fact]
    public void EveryOptionsDefault_EqualsTheHoconDefault()
    {
        var hocon = HoconFiles.Shipped();
        var problems = new List<string>();
        foreach (var (section, type) in HoconFiles.OptionsClasses())
        {
            var defaults = Activator.CreateInstance(type)!;
            foreach (var property in HoconFiles.Settings(type))
            {
                var key = $"{section}:{property.Name}";
                var problem = Compare(hocon, key, property.PropertyType, property.GetValue(defaults));
                if (problem is not null)
                {
                    problems.Add($"{key} ({HoconKeys.PathOf(key)}): {problem}");
                }
            }
        }

        foreach (var (key, value) in PlainSettings)
        {
            if (!string.Equals(hocon.Settings.GetValueOrDefault(key), value, StringComparison.Ordinal))
            {
                problems.Add($"{key}: HOCON has '{hocon.Settings.GetValueOrDefault(key)}', the code's default is '{value}'");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void EveryHoconSetting_IsASettingOfTheCode()
    {
        var hocon = HoconFiles.Shipped();
        var known = HoconFiles.OptionsClasses()
            .SelectMany(entry => HoconFiles.Settings(entry.Value).Select(p => $"{entry.Key}:{p.Name}"))
            .Concat(PlainSettings.Keys)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unknown = HoconFiles.LeafKeys(hocon).Where(key => !known.Contains(key)).ToList();

        Assert.True(unknown.Count == 0, "HOCON settings no code reads: " + string.Join(", ", unknown));
        Assert.True(known.Count > 30, $"only {known.Count} settings found");
    }

    [Fact]
    public void MapSettings_AreTheVerbatimSections()
    {
        var maps = HoconFiles.OptionsClasses()
            .SelectMany(entry => HoconFiles.Settings(entry.Value)
                .Where(p => typeof(IDictionary).IsAssignableFrom(p.PropertyType))
                .Select(p => $"{entry.Key}:{p.Name}"));

        Assert.Equal(HoconKeys.VerbatimSections.Order(StringComparer.Ordinal), maps.Order(StringComparer.Ordinal));
    }

    private static string? Compare(ClaudeActorsHocon hocon, string key, Type type, object? expected)
    {
        if (!hocon.Merged.HasPath(HoconKeys.PathOf(key)))
        {
            return "missing from the HOCON file";
        }

        if (expected is IDictionary<string, string> map)
        {
            var actual = HoconFiles.MapOf(hocon.Settings, key);
            var differences = map.Where(e => actual.GetValueOrDefault(e.Key) != e.Value).Select(e => $"{e.Key}={e.Value}")
                .Concat(actual.Keys.Where(k => !map.ContainsKey(k)).Select(k => $"extra {k}"))
                .ToList();
            return differences.Count == 0 ? null : "map differs: " + string.Join(", ", differences);
        }

        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            // A list of objects (API keys) is compared by its items' count: both are empty by default.
            var expectedItems = ((IEnumerable?)expected ?? Array.Empty<string>()).Cast<object>().Select(item => item as string ?? "<object>").ToList();
            var actualItems = HoconFiles.ListOf(hocon.Settings, key);
            return expectedItems.SequenceEqual(actualItems) ? null : $"list [{string.Join(", ", actualItems)}], code [{string.Join(", ", expectedItems)}]";
        }

        if (hocon.Settings.GetValueOrDefault(key) is not { } text)
        {
            return expected is null || ComputedDefaults.Contains(key) ? null : $"HOCON leaves it unset, the code's default is '{expected}'";
        }

        var bound = new ConfigurationBuilder().AddInMemoryCollection([new("value", text)]).Build().GetValue(type, "value");
        return Equals(bound, expected) ? null : $"HOCON '{text}', the code's default '{expected}'";
    }
}
