using System.Text;

namespace ClaudeActors.Cli.Transcripts;

/// <summary>
/// Where the CLI keeps its files: <c>$CLAUDE_CONFIG_DIR</c> (or <c>~/.claude</c>), and under it
/// <c>projects/&lt;key of the working directory&gt;/&lt;session id&gt;.jsonl</c> for each transcript.
/// </summary>
internal sealed class CliPaths
{
    /// <summary>Over this length the CLI hashes the folder key; the server keeps its working directory shorter.</summary>
    public const int MaxProjectKeyLength = 200;

    public CliPaths(string configDirectory, string workingDirectory)
    {
        ConfigDirectory = configDirectory;
        WorkingDirectory = workingDirectory;
        ProjectKey = ProjectKeyOf(workingDirectory);
        ProjectDirectory = Path.Combine(configDirectory, "projects", ProjectKey);
    }

    public string ConfigDirectory { get; }

    public string WorkingDirectory { get; }

    public string ProjectKey { get; }

    public string ProjectDirectory { get; }

    public string TranscriptPath(string sessionId) => Path.Combine(ProjectDirectory, sessionId + ".jsonl");

    /// <summary>The CLI's folder key: the real path with every character outside [A-Za-z0-9] replaced by '-'.</summary>
    public static string ProjectKeyOf(string workingDirectory)
    {
        var real = RealPath(workingDirectory);
        var key = new StringBuilder(real.Length);
        foreach (var c in real)
        {
            key.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return key.ToString();
    }

    /// <summary>The CLI's config folder for the given child environment (or the server's own).</summary>
    public static string ConfigDirectoryFor(IReadOnlyDictionary<string, string> childEnvironment)
    {
        if (childEnvironment.TryGetValue("CLAUDE_CONFIG_DIR", out var configured) && !string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var inherited = Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR");
        return !string.IsNullOrWhiteSpace(inherited)
            ? Path.GetFullPath(inherited)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".claude");
    }

    /// <summary>The path with every symbolic link along it resolved, as the CLI's <c>realpath</c> sees it.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var info = new DirectoryInfo(current);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = RealPath(target.FullName);
            }
        }

        return current;
    }
}
