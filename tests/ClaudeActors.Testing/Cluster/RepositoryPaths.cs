namespace ClaudeActors.Testing.Cluster;

/// <summary>Files of the repository the tests run from (found upwards from the test binaries).</summary>
public static class RepositoryPaths
{
    /// <summary>The folder that holds ClaudeActors.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The nginx configuration the README gives (deploy/nginx/claude-actors.conf).</summary>
    public static string NginxConfiguration => Path.Combine(Root, "deploy", "nginx", "claude-actors.conf");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClaudeActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ClaudeActors.sln above {AppContext.BaseDirectory}.");
    }
}
