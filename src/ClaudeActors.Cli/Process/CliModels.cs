namespace ClaudeActors.Cli.Process;

/// <summary>Which model changes a running process can take with <c>set_model</c> at no cost.</summary>
internal static class CliModels
{
    /// <summary>
    /// The CLI's own aliases. <c>set_model</c> accepts them at once; any other name (a full model id) makes the CLI
    /// check it with a call to the upstream first (measured with 2.1.328), so such a model is given at start instead.
    /// </summary>
    private static readonly HashSet<string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        "default", "best", "sonnet", "opus", "haiku", "sonnet[1m]", "opus[1m]", "opusplan",
    };

    /// <summary>Whether a running process can switch to <paramref name="model"/> (null: the default) without an upstream call.</summary>
    public static bool CanSwitchTo(string? model) => model is null || Aliases.Contains(model);
}
