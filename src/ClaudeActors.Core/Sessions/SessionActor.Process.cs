using ClaudeActors.Conversations;
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
                catch (Exception ex) when (JournalFailures.IsJournalFailure(ex))
                {
                    // The CLI's transcript file now holds entries the journal lacks: the next process starts from the journal's.
                    _restoreTranscript = true;
                    Log.NotStored(_services.Logger, Id, "the CLI's last transcript entries", ex.Message);
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
                    await RecordStateAsync(ConversationStatus.Passivated).ConfigureAwait(false);
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

    /// <summary>The record with another state, in the journal first; a journal that refuses leaves the record as it was.</summary>
    private async Task RecordStateAsync(ConversationStatus state)
    {
        var updated = _record with { State = state };
        try
        {
            await _services.Journal.UpdateAsync(updated, CancellationToken.None).ConfigureAwait(false);
            _record = updated;
        }
        catch (Exception ex) when (JournalFailures.IsJournalFailure(ex))
        {
            Log.NotStored(_services.Logger, Id, $"the state {state}", ex.Message);
        }
    }

    /// <summary>
    /// Deletes the conversation. When the journal fails the caller gets its exception and the actor stays: the
    /// conversation is still in the journal, and its next process starts from the journal's transcript.
    /// </summary>
    private async Task<bool> HandleDeleteAsync(Delete message)
    {
        bool existed;
        try
        {
            await StopProcessAsync(graceful: false).ConfigureAwait(false);
            _services.Workspace.DeleteTranscript(_record.CliSessionId);
            existed = await _services.Journal.DeleteAsync(Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _restoreTranscript = true;
            message.Done.TrySetException(ex);
            return false;
        }

        _registry.OnHistoryChanged(this, _record.HistoryHash, null);
        _registry.TryRemove(this);
        message.Done.TrySetResult(existed);
        return true;
    }
}
