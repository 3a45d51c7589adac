using System.Text;
using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Tools;
using ClaudeActors.Hosting;
using ClaudeActors.Processes;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Conversations;

/// <summary>
/// The warm CLI process of one conversation (<c>--input-format stream-json</c>, <c>--session-mirror</c>): started
/// with <c>--resume</c> from the conversation's transcript, which is written from the entity's events first whenever
/// the CLI's own file may be missing or ahead of them. Plain code owned by the conversation's entity: only the entity's
/// running turn, or the entity itself while no turn runs, touches it.
/// </summary>
internal sealed partial class ConversationProcess(string conversationId, CliWorkspace workspace, ILogger logger)
{
    private ClaudeProcess? _process;
    private ProcessKey? _key;
    private string? _tempOwner;
    private int _starts;

    /// <summary>Set when the CLI's transcript file may disagree with the events: the next start writes it from them.</summary>
    public bool RestoreTranscript { get; set; } = true;

    public ClaudeProcess? Current => _process is { HasExited: false } p ? p : null;

    public bool IsWarm => _process is { HasExited: false };

    public ProcessInfo Info => Current is { } p ? new ProcessInfo(true, p.ProcessId, Volatile.Read(ref _starts)) : new ProcessInfo(false, null, Volatile.Read(ref _starts));

    /// <summary>
    /// A warm process fit for <paramref name="request"/> on <paramref name="state"/>: the running one when it was
    /// started with the same settings, else a new one (the old one ends gracefully; its last entries are returned
    /// through <paramref name="stragglers"/> for the caller to persist). A turn with a spending cap always gets a new
    /// one: the CLI counts <c>--max-budget-usd</c> across a process's turns, so a process caps only its first turn.
    /// </summary>
    public async Task<(ClaudeProcess Process, bool Started)> EnsureAsync(ConversationState state, ChatTurnRequest request, List<string> stragglers, CancellationToken cancellationToken)
    {
        var record = state.Record!;
        var key = new ProcessKey(request.Model ?? record.Model, request.Effort, request.MaxOutputTokens, ClientToolServer.Signature(request.Tools), request.JsonSchema, request.MaxBudgetUsd);
        if (_process is { HasExited: false } && ((_key == key && key.MaxBudgetUsd is null) || (request.ToolResults.Count > 0 && _process.ToolServer is not null)))
        {
            return (_process, false);
        }

        stragglers.AddRange(await StopAsync(graceful: _process is { HasExited: false }).ConfigureAwait(false));

        var path = workspace.Paths.TranscriptPath(record.CliSessionId);
        if (RestoreTranscript || !File.Exists(path))
        {
            await WriteTranscriptAsync(path, state.Transcript, cancellationToken).ConfigureAwait(false);
        }

        var resume = File.Exists(path);
        var spec = new CliLaunchSpec
        {
            Model = key.Model,
            Effort = key.Effort,
            SystemPrompt = workspace.Options.SystemPromptMode == SystemPromptMode.Conversation ? null : record.SystemPrompt,
            ResumeSessionId = resume ? record.CliSessionId : null,
            NewSessionId = resume ? null : record.CliSessionId,
            MirrorTranscript = true,
            JsonSchema = key.JsonSchema,
            ClientTools = request.Tools,
            MaxBudgetUsd = key.MaxBudgetUsd,
        };
        _process = workspace.Start(spec, record.CliSessionId, key.MaxOutputTokens, logger, "conversation");
        _tempOwner = record.CliSessionId;
        _key = key;
        RestoreTranscript = false;
        Interlocked.Increment(ref _starts);
        Log.ProcessStarted(logger, conversationId, _process.ProcessId, resume);
        return (_process, true);
    }

    /// <summary>
    /// Takes over a standby process for a new conversation with no history: it already runs, so the first turn waits
    /// for no CLI start. <paramref name="model"/> is what it runs with now (its model was switched to the request's).
    /// </summary>
    public void Adopt(WarmProcess standby, string? model)
    {
        _process = standby.Process;
        _tempOwner = standby.TempOwner;
        _key = new ProcessKey(model, null, null, "", null, null);
        RestoreTranscript = false;
        Interlocked.Increment(ref _starts);
        Log.Adopted(logger, conversationId, standby.ProcessId, standby.CliSessionId);
    }

    /// <summary>
    /// Ends the process: gracefully (stdin closed, the CLI finishes writing its transcript) or at once. Returns the
    /// transcript entries the CLI mirrored after the last turn (only on a graceful stop).
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync(bool graceful)
    {
        // Taken at once: the entity's PostStop may kill the process while a failing turn stops it.
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return [];
        }

        _key = null;
        var tempOwner = _tempOwner;
        var stragglers = new List<string>();

        // A turn paused on the client's tool calls would go on without their results once its input closes: such a
        // process is killed, and the next turn continues from the journal (ToolTranscript).
        if (graceful && process.ToolServer is not { IsWaiting: true })
        {
            await process.ShutdownAsync(TimeSpan.FromSeconds(workspace.Options.ExitGraceSeconds)).ConfigureAwait(false);
            while (process.Events.TryRead(out var ev))
            {
                if (ev is CliTranscriptMirror mirror)
                {
                    stragglers.AddRange(mirror.Entries.Select(e => e.GetRawText()));
                }
            }
        }

        await process.DisposeAsync().ConfigureAwait(false);
        DeleteTemp(tempOwner);
        return stragglers;
    }

    /// <summary>Kills the process at once (the entity stops, or its state is uncertain).</summary>
    public void Kill()
    {
        var process = Interlocked.Exchange(ref _process, null);
        _key = null;
        if (process is not null)
        {
            var tempOwner = _tempOwner;
            process.Kill();
            _ = process.DisposeAsync().AsTask().ContinueWith(_ => DeleteTemp(tempOwner), TaskScheduler.Default);
        }
    }

    /// <summary>Writes the events' copy of the transcript where the CLI looks for it (or removes a stale file).</summary>
    private async Task WriteTranscriptAsync(string path, IReadOnlyList<string> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            return;
        }

        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(entry).Append('\n');
        }

        var temporary = path + ".restore";
        await PrivateFiles.WriteAllTextAsync(temporary, text.ToString(), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
        Log.TranscriptRestored(logger, conversationId, entries.Count);
    }

    /// <summary>What a process was started with; a turn that needs other values gets a new process.</summary>
    private sealed record ProcessKey(string? Model, string? Effort, int? MaxOutputTokens, string Tools, string? JsonSchema, double? MaxBudgetUsd);

    private void DeleteTemp(string? owner)
    {
        if (owner is not null)
        {
            workspace.DeleteTempDirectory(owner);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(311, LogLevel.Debug, "Conversation {ConversationId}: took over standby CLI process {ProcessId} (CLI session {CliSessionId})")]
        public static partial void Adopted(ILogger logger, string conversationId, int processId, string cliSessionId);

        [LoggerMessage(300, LogLevel.Debug, "Conversation {ConversationId}: CLI process {ProcessId} started (resumed: {Resumed})")]
        public static partial void ProcessStarted(ILogger logger, string conversationId, int processId, bool resumed);

        [LoggerMessage(301, LogLevel.Information, "Conversation {ConversationId}: transcript restored from its events ({Entries} entries)")]
        public static partial void TranscriptRestored(ILogger logger, string conversationId, int entries);
    }
}
