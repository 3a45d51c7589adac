using ClaudeActors.Cli;
using ClaudeActors.Cli.Transcripts;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Hosting;

/// <summary>The fixed working directory every CLI process runs in, and where the CLI keeps its transcripts for it.</summary>
public sealed class CliWorkspace
{
    public CliWorkspace(IOptions<CliOptions> cli, IOptions<ClaudeActorsOptions> service)
    {
        Options = cli.Value;
        WorkingDirectory = Path.GetFullPath(Options.WorkingDirectory ?? Path.Combine(service.Value.DataDirectory, "workspace"));
        Directory.CreateDirectory(WorkingDirectory);
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

    /// <summary>Removes a session's transcript and the folder the CLI may keep beside it.</summary>
    public void DeleteTranscript(string sessionId)
    {
        try
        {
            File.Delete(Paths.TranscriptPath(sessionId));
            var folder = Path.Combine(Paths.ProjectDirectory, sessionId);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
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
