using System.Runtime.InteropServices;

namespace ClaudeActors.Testing.Cli;

/// <summary>
/// Finds the pinned Claude Code CLI that <c>scripts/install-claude-cli.sh</c> installs into
/// <c>&lt;repo&gt;/.tools/claude-cli</c> (the repository is the folder holding <c>ClaudeActors.sln</c>,
/// found by walking up from <see cref="AppContext.BaseDirectory"/>).
/// </summary>
public static class ClaudeCliInstall
{
    private const string SolutionFileName = "ClaudeActors.sln";
    private const string InstallScript = "scripts/install-claude-cli.sh";

    /// <summary>The repository root (the folder holding <c>ClaudeActors.sln</c>).</summary>
    public static string RepositoryRoot => FindRepositoryRoot();

    /// <summary>
    /// Where the native binary is expected, e.g.
    /// <c>&lt;repo&gt;/.tools/claude-cli/node_modules/@anthropic-ai/claude-code-linux-x64/claude</c>; it may not exist.
    /// </summary>
    public static string ExpectedPath => Path.Combine(
        FindRepositoryRoot(), ".tools", "claude-cli", "node_modules", "@anthropic-ai", "claude-code-" + PlatformSuffix(), BinaryName());

    /// <summary>Whether the binary is present at <see cref="ExpectedPath"/>.</summary>
    public static bool IsInstalled => File.Exists(ExpectedPath);

    /// <summary>
    /// Full path of the installed CLI binary. Throws <see cref="FileNotFoundException"/>, naming the install script,
    /// when it is missing.
    /// </summary>
    public static string ExecutablePath
    {
        get
        {
            var path = ExpectedPath;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"The pinned Claude Code CLI is not installed: {path} does not exist. "
                    + $"Run {InstallScript} (from any directory; it needs npm) to install it into "
                    + $"{Path.Combine(FindRepositoryRoot(), ".tools", "claude-cli")}.",
                    path);
            }

            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find {SolutionFileName} in {AppContext.BaseDirectory} or any folder above it; "
            + "the Claude Code CLI for tests is looked up relative to the repository root.");
    }

    /// <summary>The npm platform package suffix, as in <c>@anthropic-ai/claude-code-linux-x64</c>.</summary>
    private static string PlatformSuffix()
    {
        var architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            var other => throw new PlatformNotSupportedException($"The Claude Code CLI has no build for {other}."),
        };

        if (OperatingSystem.IsLinux())
        {
            var musl = RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase);
            return musl ? $"linux-{architecture}-musl" : $"linux-{architecture}";
        }

        if (OperatingSystem.IsMacOS())
        {
            return $"darwin-{architecture}";
        }

        if (OperatingSystem.IsWindows())
        {
            return $"win32-{architecture}";
        }

        throw new PlatformNotSupportedException($"The Claude Code CLI has no build for {RuntimeInformation.OSDescription}.");
    }

    private static string BinaryName() => OperatingSystem.IsWindows() ? "claude.exe" : "claude";
}
