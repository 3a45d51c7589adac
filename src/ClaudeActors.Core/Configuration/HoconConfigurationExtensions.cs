using Microsoft.Extensions.Configuration;

namespace ClaudeActors.Configuration;

internal static class HoconConfigurationExtensions
{
    /// <summary>The configuration key naming an operator's HOCON file, layered over ours.</summary>
    public const string HoconFileKey = "ClaudeActors:HoconFile";

    /// <summary>
    /// Reads our HOCON file (found from <paramref name="contentRoot"/>) and the operator's file named by
    /// <see cref="HoconFileKey"/> in the sources already added, and inserts it as the FIRST source, so that every
    /// other one (appsettings.json, environment, command line, ...) wins over it.
    /// </summary>
    public static ClaudeActorsHocon AddClaudeActorsHocon(this IConfigurationBuilder configuration, string contentRoot)
    {
        var operatorFile = (configuration as IConfiguration ?? configuration.Build())[HoconFileKey];
        var hocon = ClaudeActorsHocon.Load(ClaudeActorsHocon.DefaultsFile(contentRoot), string.IsNullOrWhiteSpace(operatorFile) ? null : operatorFile);
        configuration.Sources.Insert(0, new HoconConfigurationSource(hocon));
        return hocon;
    }
}
