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
internal sealed partial class CliWorkspace : IDisposable
{
    private readonly ILogger<CliWorkspace> _logger;
    private readonly string[] _ownDirectories;

    /// <summary>The SQLite journal's keeper (null for PostgreSQL and in tests that build a workspace by hand).</summary>
    private readonly Lazy<JournalFile?> _journal;

    public CliWorkspace(
        IOptions<CliOptions> cli,
        IOptions<ClaudeActorsOptions> service,
        ILogger<CliWorkspace> logger,
        ClaudeActorsMetrics? metrics = null,
        IOptions<Persistence.JournalOptions>? journal = null,
        TimeProvider? time = null)
    {
        _logger = logger;
        Metrics = metrics;
        Options = cli.Value;
        DataDirectory = Path.GetFullPath(service.Value.DataDirectory);
        // Made when first needed: the journal's settings are validated, and its file prepared, at start-up, after this.
        _journal = new Lazy<JournalFile?>(() =>
        {
            if (journal?.Value is not { Provider: Persistence.JournalProvider.Sqlite } options)
            {
                return null;
            }

            var store = Persistence.ConversationStore.Resolve(options, DataDirectory);
            try
            {
                return new JournalFile(store.SqlitePath!, new Persistence.SqliteJournalFile(store.SqlitePath!, store.ConnectionString), time ?? TimeProvider.System);
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                Log.JournalNotCopied(_logger, store.SqlitePath!, ex.Message);
                return null;
            }
        });
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

        KeepJournalRecoverable();

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
    /// Opens the SQLite journal's own connection, once its file is prepared at start-up: from then on the journal stays
    /// recoverable if the file is removed (see <see cref="KeepJournalRecoverable"/>).
    /// </summary>
    public void KeepJournalFromStart() => _ = _journal.Value;

    /// <summary>Takes the last copy of a removed journal (the actor system has stopped by then) and closes its connection.</summary>
    public void Dispose()
    {
        if (_journal.IsValueCreated)
        {
            _journal.Value?.File.Dispose();
        }
    }

    /// <summary>
    /// When the SQLite journal file was removed from under the server (with the data directory), copies the journal
    /// aside for the next start (<see cref="Persistence.SqliteJournalFile"/>); the server goes on meanwhile.
    /// </summary>
    private void KeepJournalRecoverable()
    {
        if (_journal.Value is not { } journal)
        {
            return;
        }

        try
        {
            if (journal.File.CopyIfRemoved(journal.Time.GetUtcNow()))
            {
                Log.JournalCopied(_logger, journal.Path, Persistence.SqliteJournalFile.RecoveredPath(journal.Path));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            Log.JournalNotCopied(_logger, journal.Path, ex.Message);
        }
    }

    /// <summary>The SQLite journal's file and its keeper; disposed with the workspace, when the host stops.</summary>
    private sealed record JournalFile(string Path, Persistence.SqliteJournalFile File, TimeProvider Time);

    private static partial class Log
    {
        [LoggerMessage(502, LogLevel.Error, "The journal file {Path} was removed while the server runs: it goes on with the removed file, and copies it to {Copy} now, every 30 s and when it stops. The next start takes that copy as its journal")]
        public static partial void JournalCopied(ILogger logger, string path, string copy);

        [LoggerMessage(503, LogLevel.Error, "The journal file {Path} was removed and could not be copied aside: {Reason}")]
        public static partial void JournalNotCopied(ILogger logger, string path, string reason);

        [LoggerMessage(500, LogLevel.Warning, "The folder {Directory} was missing and has been made again")]
        public static partial void Recreated(ILogger logger, string directory);

        [LoggerMessage(501, LogLevel.Error, "The folder {Directory} is missing and cannot be made again: {Reason}")]
        public static partial void Unavailable(ILogger logger, string directory, string reason);

        [LoggerMessage(502, LogLevel.Error, "The Claude CLI '{Binary}' could not be started: {Reason}. Install it or set CLAUDE_BIN.")]
        public static partial void CliNotStarted(ILogger logger, string binary, string reason);
    }
}
