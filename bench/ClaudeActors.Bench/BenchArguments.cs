using System.Globalization;

namespace ClaudeActors.Bench;

/// <summary>
/// The command line: an optional scenario name (default <c>chat</c>) and <c>--name value</c> options.
/// Options every scenario understands: <c>--max-minutes</c> (hard stop, default 15, 30 for <c>memory</c>), <c>--report FILE</c> (also write the
/// report there) and <c>--help</c>.
/// </summary>
internal sealed class BenchArguments
{
    public const string DefaultScenario = "chat";
    private static readonly string[] CommonOptions = ["max-minutes", "report", "help"];
    private readonly Dictionary<string, string> _options;

    private BenchArguments(string scenario, Dictionary<string, string> options)
    {
        Scenario = scenario;
        _options = options;
    }

    public string Scenario { get; }

    public bool WantsHelp => _options.ContainsKey("help");

    /// <summary>The whole run stops (and reports it) after this long: <c>--max-minutes</c>, or the scenario's default.</summary>
    public TimeSpan MaxDuration(double defaultMinutes) => TimeSpan.FromMinutes(GetDouble("max-minutes", defaultMinutes, min: 0.1, max: 24 * 60));

    /// <summary>A file to write the report to as well (Markdown), or null.</summary>
    public string? ReportFile => _options.GetValueOrDefault("report");

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var scenario = DefaultScenario;
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                options["help"] = "";
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                options[name] = hasValue ? args[++i] : throw new ArgumentException($"Option --{name} needs a value.");
            }
            else if (i == 0)
            {
                scenario = arg;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }

        return new BenchArguments(scenario, options);
    }

    /// <summary>Throws when an option is neither common nor one of <paramref name="known"/>, so typos do not go unnoticed.</summary>
    public void EnsureOnly(IEnumerable<string> known)
    {
        var allowed = new HashSet<string>(known.Concat(CommonOptions), StringComparer.OrdinalIgnoreCase);
        var unknown = _options.Keys.Where(key => !allowed.Contains(key)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Scenario '{Scenario}' does not know the option(s) {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }

    public string? GetString(string name) => _options.GetValueOrDefault(name);

    public int? GetInt(string name, int min, int max) =>
        _options.TryGetValue(name, out var text) ? (int)Parse(name, text, min, max) : null;

    public int GetInt(string name, int fallback, int min, int max) => GetInt(name, min, max) ?? fallback;

    public double GetDouble(string name, double fallback, double min, double max) =>
        _options.TryGetValue(name, out var text) ? Parse(name, text, min, max) : fallback;

    /// <summary>A comma-separated list of integers, e.g. <c>--concurrency 1,8</c>.</summary>
    public IReadOnlyList<int> GetIntList(string name, IReadOnlyList<int> fallback, int min, int max) =>
        _options.TryGetValue(name, out var text)
            ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part => (int)Parse(name, part, min, max))]
            : fallback;

    private static double Parse(string name, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"Option --{name} must be a number from {min} to {max}, not '{text}'.");
        }

        return value;
    }
}
