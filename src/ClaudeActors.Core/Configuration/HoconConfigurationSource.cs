using Microsoft.Extensions.Configuration;

namespace ClaudeActors.Configuration;

/// <summary>
/// The <c>claude-actors</c> block of <see cref="ClaudeActorsHocon"/> as a configuration source. Insert it first
/// (<see cref="HoconConfigurationExtensions.AddClaudeActorsHocon"/>): every other source wins over it.
/// </summary>
internal sealed class HoconConfigurationSource(ClaudeActorsHocon hocon) : IConfigurationSource
{
    public ClaudeActorsHocon Hocon { get; } = hocon;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(Hocon);

    private sealed class Provider(ClaudeActorsHocon hocon) : ConfigurationProvider
    {
        public override void Load() => Data = new Dictionary<string, string?>(hocon.Settings, StringComparer.OrdinalIgnoreCase);

        public override string ToString() => $"HOCON ({string.Join(", ", hocon.Files)})";
    }
}
