using System.Collections;
using ClaudeActors.Configuration;

namespace ClaudeActors.Server.Hosting;

/// <summary>
/// The short names of <see cref="HoconConfigurationExtensions.HoconFileKey"/>: the environment variable
/// <c>CLAUDE_ACTORS_HOCON</c> and the switch <c>--hocon &lt;path&gt;</c>.
/// </summary>
internal static class HoconFileSetting
{
    public const string EnvironmentName = "CLAUDE_ACTORS_HOCON";

    /// <summary>The entry <c>CLAUDE_ACTORS_HOCON</c> in <paramref name="environment"/> stands for, if set.</summary>
    public static Dictionary<string, string?> FromEnvironment(IDictionary environment) =>
        environment[EnvironmentName] is string { Length: > 0 } path
            ? new() { [HoconConfigurationExtensions.HoconFileKey] = path }
            : [];

    /// <summary>The entry <c>--hocon &lt;path&gt;</c> (or <c>--hocon=&lt;path&gt;</c>) in <paramref name="args"/> stands for, if given.</summary>
    public static Dictionary<string, string?> FromCommandLine(string[] args) =>
        new ConfigurationBuilder().AddCommandLine(args).Build()["hocon"] is { Length: > 0 } path
            ? new() { [HoconConfigurationExtensions.HoconFileKey] = path }
            : [];
}
