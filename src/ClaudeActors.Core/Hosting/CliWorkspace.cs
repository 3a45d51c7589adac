using System.Globalization;
using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Transcripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Hosting;

/// <summary>The fixed working directory every CLI process runs in, and where the CLI keeps its transcripts for it.</summary>
internal sealed class CliWorkspace
{
    public CliWorkspace(IOptions<CliOptions> cli, IOptions<ClaudeActorsOptions> service)
    {
        Options = cli.Value;
        WorkingDirectory = Path.GetFullPath(Options.WorkingDirectory ?? Path.Combine(service.Value.DataDirectory, "workspace"));
        Directory.CreateDirectory(WorkingDirectory);
        TempRoot = Path.Combine(Path.GetFullPath(service.Value.DataDirectory), "tmp");
        Paths = new CliPaths(CliPaths.ConfigDirectoryFor(Options.Environment), WorkingDirectory);
        if (Paths.ProjectKey.Length > CliPaths.MaxProjectKeyLength)
        {
            throw new OptionsValidationException(
                nameof(CliOptions.WorkingDirectory),
                typeof(CliOptions),
                [$"ClaudeActors:Cli:WorkingDirectory '{WorkingDirectory}' is too long: keep it under {CliPaths.MaxProjectKeyLength} characters."]);
        }
    }

    public CliOptions Options { get; }

    public string WorkingDirectory { get; }

    public CliPaths Paths { get; }

    /// <summary>
    /// Starts a CLI process in this workspace. The CLI keeps images, probes and sockets in its temp folder, so each
    /// process gets its own, named after <paramref name="tempOwner"/> and removed with
    /// <see cref="DeleteTempDirectory"/>; <paramref name="maxOutputTokens"/> bounds the upstream's max_tokens.
    /// A binary that cannot be started is a <see cref="ChatFailureKind.CliUnavailable"/> failure.
    /// </summary>
    public ClaudeProcess Start(CliLaunchSpec spec, string tempOwner, int? maxOutputTokens, ILogger logger)
    {
        var environment = new Dictionary<string, string>(spec.Environment) { ["CLAUDE_CODE_TMPDIR"] = TempDirectory(tempOwner) };
        if (maxOutputTokens is { } max)
        {
            environment["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = max.ToString(CultureInfo.InvariantCulture);
        }

        try
        {
            return ClaudeProcess.Start(Options, WorkingDirectory, spec with { Environment = environment }, logger);
        }
        catch (CliNotFoundException ex)
        {
            throw new ChatFailure(ChatFailureKind.CliUnavailable, ex.Message, isTransient: false, inner: ex);
        }
    }

    /// <summary>Where the CLI processes' own temp folders live (one per process or session).</summary>
    public string TempRoot { get; }

    /// <summary>A CLI process's temp folder (<c>CLAUDE_CODE_TMPDIR</c>), created.</summary>
    public string TempDirectory(string owner) => Directory.CreateDirectory(Path.Combine(TempRoot, owner)).FullName;

    /// <summary>Removes a CLI process's temp folder.</summary>
    public void DeleteTempDirectory(string owner) => DeleteQuietly(() => Directory.Delete(Path.Combine(TempRoot, owner), recursive: true));

    /// <summary>Removes a session's transcript and the folder the CLI may keep beside it.</summary>
    public void DeleteTranscript(string sessionId) => DeleteQuietly(() =>
    {
        File.Delete(Paths.TranscriptPath(sessionId));
        var folder = Path.Combine(Paths.ProjectDirectory, sessionId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    });

    private static void DeleteQuietly(Action delete)
    {
        try
        {
            delete();
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // Left for the next clean-up; a stray transcript holds nothing the journal lacks.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
