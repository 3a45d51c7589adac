using System.Globalization;
using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Transcripts;
using ClaudeActors.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Hosting;

/// <summary>
/// The fixed working directory every CLI process runs in, where the CLI keeps its transcripts for it, and the server's
/// own folders under the data directory: the data directory itself, the default working directory and <c>tmp</c>.
/// Those are 0700; when one disappears while the server runs it is made again, and when that is impossible the turn
/// fails as <see cref="ChatFailureKind.WorkspaceUnavailable"/> (the log names the folder, the client never sees it).
/// </summary>
internal sealed partial class CliWorkspace
{
    private readonly ILogger<CliWorkspace> _logger;
    private readonly string[] _ownDirectories;

    /// <summary>The journal, whose SQLite file is written again when it was removed with its folder (null in tests).</summary>
    private readonly Lazy<Persistence.ConversationStore?> _journal;

    private readonly Lock _restoring = new();

    public CliWorkspace(
        IOptions<CliOptions> cli,
        IOptions<ClaudeActorsOptions> service,
        ILogger<CliWorkspace> logger,
        ClaudeActorsMetrics? metrics = null,
        IOptions<Persistence.JournalOptions>? journal = null)
    {
        _logger = logger;
        Metrics = metrics;
        Options = cli.Value;
        DataDirectory = Path.GetFullPath(service.Value.DataDirectory);
        // Resolved when first needed: the journal's settings are validated at start-up, after this is made.
        _journal = new Lazy<Persistence.ConversationStore?>(() =>
            journal?.Value is { Provider: Persistence.JournalProvider.Sqlite } options ? Persistence.ConversationStore.Resolve(options, DataDirectory) : null);
        WorkingDirectory = Path.GetFullPath(Options.WorkingDirectory ?? Path.Combine(DataDirectory, "workspace"));
        TempRoot = Path.Combine(DataDirectory, "tmp");

        // A configured working directory is the operator's (a project the tools work on): created when missing, never
        // changed, never made again behind their back.
        _ownDirectories = Options.WorkingDirectory is null ? [DataDirectory, WorkingDirectory, TempRoot] : [DataDirectory, TempRoot];
        foreach (var directory in _ownDirectories)
        {
            PrivateFiles.CreateOwnDirectory(directory);
        }

        PrivateFiles.CreateDirectory(WorkingDirectory);
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

    /// <summary>The node's instruments (null in tests that build a workspace by hand).</summary>
    public ClaudeActorsMetrics? Metrics { get; }

    /// <summary>The server's data directory (<c>ClaudeActors:DataDirectory</c>), as a full path.</summary>
    public string DataDirectory { get; }

    public string WorkingDirectory { get; }

    public CliPaths Paths { get; }

    /// <summary>
    /// Starts a CLI process in this workspace. The CLI keeps images, probes and sockets in its temp folder, so each
    /// process gets its own, named after <paramref name="tempOwner"/> and removed with
    /// <see cref="DeleteTempDirectory"/>; <paramref name="maxOutputTokens"/> bounds the upstream's max_tokens.
    /// A binary that cannot be started is a <see cref="ChatFailureKind.CliUnavailable"/> failure.
    /// </summary>
    public ClaudeProcess Start(CliLaunchSpec spec, string tempOwner, int? maxOutputTokens, ILogger logger, string purpose = "warm")
    {
        EnsureAvailable();
        var environment = new Dictionary<string, string>(spec.Environment) { ["CLAUDE_CODE_TMPDIR"] = TempDirectory(tempOwner) };
        if (maxOutputTokens is { } max)
        {
            environment["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = max.ToString(CultureInfo.InvariantCulture);
        }

        try
        {
            var process = ClaudeProcess.Start(Options, WorkingDirectory, spec with { Environment = environment }, logger);
            Metrics?.ProcessStarted(purpose, process.Exited);
            return process;
        }
        catch (CliNotFoundException ex)
        {
            Log.CliNotStarted(_logger, ex.BinaryPath, ex.InnerException?.Message ?? ex.Message);
            throw new ChatFailure(
                ChatFailureKind.CliUnavailable,
                "The Claude CLI could not be started: it is not installed or the server cannot run it. Install it or set " +
                "CLAUDE_BIN; the server log names the binary.",
                isTransient: false,
                inner: ex);
        }
    }

    /// <summary>
    /// Makes sure the server's folders and the working directory exist, making again those that were removed.
    /// Throws a <see cref="ChatFailureKind.WorkspaceUnavailable"/> failure when they cannot be had.
    /// </summary>
    public void EnsureAvailable()
    {
        if (Check() is { } problem)
        {
            throw new ChatFailure(ChatFailureKind.WorkspaceUnavailable, problem + " The turn was not run; the server log names the folder.", isTransient: false);
        }
    }

    /// <summary>
    /// Null when the server's folders and the working directory exist (those that were removed are made again), else
    /// what is wrong, in words without paths; the path and the cause go to the log.
    /// </summary>
    public string? Check()
    {
        foreach (var directory in _ownDirectories)
        {
            if (Directory.Exists(directory))
            {
                continue;
            }

            try
            {
                PrivateFiles.CreateOwnDirectory(directory);
                Log.Recreated(_logger, directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.Unavailable(_logger, directory, ex.Message);
                return directory == DataDirectory || directory == TempRoot
                    ? "The server's data directory is missing and could not be made again."
                    : "The CLI's working directory is missing and could not be made again.";
            }
        }

        RestoreJournalIfRemoved();

        if (!Directory.Exists(WorkingDirectory))
        {
            Log.Unavailable(_logger, WorkingDirectory, "it does not exist");
            return "The CLI's working directory is missing.";
        }

        return null;
    }

    /// <summary>Where the CLI processes' own temp folders live (one per process or session).</summary>
    public string TempRoot { get; }

    /// <summary>A CLI process's temp folder (<c>CLAUDE_CODE_TMPDIR</c>), created.</summary>
    public string TempDirectory(string owner) => PrivateFiles.CreateDirectory(Path.Combine(TempRoot, owner)).FullName;

    /// <summary>Removes a CLI process's temp folder.</summary>
    public void DeleteTempDirectory(string owner) => DeleteQuietly(() => Directory.Delete(Path.Combine(TempRoot, owner), recursive: true));

    /// <summary>
    /// Empties a running CLI process's temp folder and keeps the folder itself (a warm process that served a stateless
    /// request leaves nothing of it behind for the next one).
    /// </summary>
    public void ClearTempDirectory(string owner) => DeleteQuietly(() =>
    {
        var folder = new DirectoryInfo(Path.Combine(TempRoot, owner));
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    });

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

    /// <summary>
    /// Writes the SQLite journal file again when it was removed with the data directory (see
    /// <see cref="Persistence.ConversationStore.RestoreSqliteFileIfRemoved"/>); one caller at a time.
    /// </summary>
    private void RestoreJournalIfRemoved()
    {
        if (_journal.Value is not { SqlitePath: { } path } store || File.Exists(path))
        {
            return;
        }

        lock (_restoring)
        {
            try
            {
                if (store.RestoreSqliteFileIfRemoved() is { } what)
                {
                    Log.JournalRestored(_logger, path, what);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                Log.JournalNotRestored(_logger, path, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(502, LogLevel.Warning, "{Path}: {What}")]
        public static partial void JournalRestored(ILogger logger, string path, string what);

        [LoggerMessage(503, LogLevel.Error, "The journal file {Path} was removed and could not be written again: {Reason}")]
        public static partial void JournalNotRestored(ILogger logger, string path, string reason);

        [LoggerMessage(500, LogLevel.Warning, "The folder {Directory} was missing and has been made again")]
        public static partial void Recreated(ILogger logger, string directory);

        [LoggerMessage(501, LogLevel.Error, "The folder {Directory} is missing and cannot be made again: {Reason}")]
        public static partial void Unavailable(ILogger logger, string directory, string reason);

        [LoggerMessage(502, LogLevel.Error, "The Claude CLI '{Binary}' could not be started: {Reason}. Install it or set CLAUDE_BIN.")]
        public static partial void CliNotStarted(ILogger logger, string binary, string reason);
    }
}
