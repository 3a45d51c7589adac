using System.Text;

namespace ClaudeActors.Bench.Scenarios;

/// <summary>The scenarios the program knows. Add a new one here.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } = [new ChatLatencyScenario(), new SessionLatencyScenario(), new MemoryScenario(), new RefusedScenario(), new OverheadScenario(), new ClusterScenario()];

    public static IScenario? Find(string name) =>
        All.FirstOrDefault(scenario => string.Equals(scenario.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Usage()
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: dotnet run -c Release --project bench/ClaudeActors.Bench -- [scenario] [--option value ...]");
        text.AppendLine($"Default scenario: {BenchArguments.DefaultScenario}. Every scenario: --max-minutes M (hard stop, default 15, memory 30, overhead 5), --report FILE (also write the report there), --help.");
        foreach (var scenario in All)
        {
            text.AppendLine();
            text.AppendLine($"  {scenario.Name}: {scenario.Description}");
            foreach (var line in scenario.OptionHelp)
            {
                text.AppendLine($"    {line}");
            }
        }

        return text.ToString();
    }
}
