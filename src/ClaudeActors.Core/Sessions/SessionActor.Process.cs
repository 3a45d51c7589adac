using System.Text;
using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Journal;

namespace ClaudeActors.Sessions;

internal sealed partial class SessionActor
{
    private async Task EnsureProcessAsync(ChatTurnRequest request, CancellationToken cancellationToken)
    {
        var key = new ProcessKey(request.Model ?? _record.Model, request.Effort, request.MaxOutputTokens);
        if (_process is { HasExited: false } && _processKey == key)
        {
            return;
        }

        // A process that died while idle, or one started with other settings, makes way for a new one.
        await StopProcessAsync(graceful: _process is { HasExited: false }).ConfigureAwait(false);

        var workspace = _services.Workspace;
        var path = workspace.Paths.TranscriptPath(_record.CliSessionId);
        if (_restoreTranscript || !File.Exists(path))
        {
            await RestoreTranscriptAsync(path, cancellationToken).ConfigureAwait(false);
        }

        var resume = File.Exists(path);
        var spec = new CliLaunchSpec
        {
            Model = key.Model,
            Effort = key.Effort,
            SystemPrompt = workspace.Options.SystemPromptMode == SystemPromptMode.Conversation ? null : _record.SystemPrompt,
            ResumeSessionId = resume ? _record.CliSessionId : null,
            NewSessionId = resume ? null : _record.CliSessionId,
            MirrorTranscript = true,
        };
        _process = workspace.Start(spec, _record.CliSessionId, key.MaxOutputTokens, _services.Logger);

        _processKey = key;
        _restoreTranscript = false;
        Interlocked.Increment(ref _processStarts);
        Log.ProcessStarted(_services.Logger, Id, _process.ProcessId, resume);
        _registry.OnProcessStarted(this);
    }

    /// <summary>Writes the journal's copy of the transcript where the CLI looks for it (or removes a stale file).</summary>
    private async Task RestoreTranscriptAsync(string path, CancellationToken cancellationToken)
    {
        var entries = await _services.Journal.ReadTranscriptAsync(_record.Id, cancellationToken).ConfigureAwait(false);
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
        Log.TranscriptRestored(_services.Logger, Id, entries.Count);
    }

    /// <summary>
    /// Ends the process: gracefully (stdin closed, the CLI finishes writing its transcript) or at once. Transcript
    /// entries the CLI mirrored after the last turn are kept in the journal.
    /// </summary>
    private async Task StopProcessAsync(bool graceful)
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        // Counted as stopped from now on, so the warm cap does not pick another victim while this one winds down.
        _process = null;
        _processKey = null;
        _registry.OnProcessStopped(this);
        if (graceful)
        {
            await process.ShutdownAsync(TimeSpan.FromSeconds(_services.Workspace.Options.ExitGraceSeconds)).ConfigureAwait(false);
            var stragglers = new List<string>();
            while (process.Events.TryRead(out var ev))
            {
                if (ev is CliTranscriptMirror mirror)
                {
                    stragglers.AddRange(mirror.Entries.Select(e => e.GetRawText()));
                }
            }

            if (stragglers.Count > 0 && _persisted)
            {
                try
                {
                    await _services.Journal.AppendTranscriptAsync(Id, stragglers, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.JournalFailed(_services.Logger, Id, ex);
                }
            }
        }

        await process.DisposeAsync().ConfigureAwait(false);
        _services.Workspace.DeleteTempDirectory(_record.CliSessionId);
    }

    private async Task<bool> HandlePassivateAsync(Passivate message)
    {
        try
        {
            if (_process is not null)
            {
                await StopProcessAsync(graceful: true).ConfigureAwait(false);
                if (_persisted)
                {
                    _record = _record with { State = ConversationState.Passivated };
                    await _services.Journal.UpdateAsync(_record, CancellationToken.None).ConfigureAwait(false);
                }

                Log.Passivated(_services.Logger, Id);
            }
        }
        finally
        {
            message.Done.TrySetResult();
        }

        // An evicted actor stops only when nothing else waits in its mailbox; otherwise it stays to serve it.
        return message.Evict && !_mailbox.Reader.TryPeek(out _) && _registry.TryRemove(this);
    }

    private async Task<bool> HandleDeleteAsync(Delete message)
    {
        var existed = false;
        try
        {
            await StopProcessAsync(graceful: false).ConfigureAwait(false);
            _services.Workspace.DeleteTranscript(_record.CliSessionId);
            existed = await _services.Journal.DeleteAsync(Id, CancellationToken.None).ConfigureAwait(false);
            _registry.OnHistoryChanged(this, _record.HistoryHash, null);
            _registry.TryRemove(this);
        }
        finally
        {
            message.Done.TrySetResult(existed);
        }

        return true;
    }
}
