using System.Globalization;
using System.Text.RegularExpressions;

namespace ClaudeActors.IntegrationTests.Telemetry;

/// <summary>One sample of a Prometheus text scrape: <c>name{label="value",...} number</c>.</summary>
internal sealed partial record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>Every sample of <paramref name="text"/> (comments skipped).</summary>
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (Line().Match(line.TrimEnd('\r')) is not { Success: true } match)
            {
                continue;
            }

            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value);
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    /// <summary>Whether every label in <paramref name="wanted"/> has the given value.</summary>
    public bool Has(params (string Key, string Value)[] wanted) => wanted.All(w => Labels.TryGetValue(w.Key, out var v) && v == w.Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[-+0-9.eE]+|NaN|\+Inf|-Inf)(\s+\d+)?$""")]
    private static partial Regex Line();

    [GeneratedRegex(""""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)"""")]
    private static partial Regex Label();
}
