namespace ClaudeActors.Hosting;

/// <summary>Settings of the whole service. Bound from <c>ClaudeActors</c>.</summary>
internal sealed class ClaudeActorsOptions
{
    public const string SectionName = "ClaudeActors";

    /// <summary>
    /// The folder the server keeps its files in (the CLI's working directory, the journal). Default
    /// <c>~/.local/share/claude-actors</c>.
    /// </summary>
    public string DataDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "claude-actors");
}
