namespace ClaudeActors.Server.Hosting;

/// <summary>
/// A list setting given as one value, as an environment variable or a command-line switch naturally gives it
/// (<c>--ClaudeActors:Server:AllowedHosts=api.example.com;localhost</c>), becomes the entries <c>:0</c>, <c>:1</c>, ...;
/// the configuration binder would otherwise ignore it without a word.
/// </summary>
internal static class ListSettings
{
    public static Dictionary<string, string?> Expand(IConfiguration configuration, params string[] keys)
    {
        var entries = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            var section = configuration.GetSection(key);
            if (section.Value is not { } value || section.GetChildren().Any())
            {
                continue;
            }

            var items = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < items.Length; i++)
            {
                entries[$"{key}:{i}"] = items[i];
            }
        }

        return entries;
    }
}
