using ClaudeActors.Conversations;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Journal;
using ClaudeActors.Workers;

namespace ClaudeActors.Sessions;

internal sealed partial class SessionActor
{
    /// <summary>
    /// Runs a turn. A conversation that no turn has created in the journal yet (the pool refused its first turn, or
    /// its client left while it waited) leaves nothing behind: its actor stops unless another turn waits for it.
    /// </summary>
    private async Task<bool> HandleTurnAsync(RunTurn message)
    {
        if (message.Token.IsCancellationRequested)
        {
            // Its caller left (or the server stops) while it waited behind another turn: never an empty success.
            message.Failure = new OperationCanceledException(message.Token);
        }
        else
        {
            await RunTurnAsync(message).ConfigureAwait(false);
        }

        var stop = !_persisted && !_mailbox.Reader.TryPeek(out _);
        if (stop)
        {
            // Out of the registry before the caller hears the turn is over, so nothing finds this actor again.
            _registry.TryRemove(this);
        }

        message.Output.TryComplete();
        _registry.OnTurnEnded(this);
        return stop;
    }

    private async Task RunTurnAsync(RunTurn message)
    {
        _busy = true;
        try
        {
            var request = message.Turn.Request;
            var ignored = _persisted && request.SystemPrompt is not null && request.SystemPrompt != _record.SystemPrompt;
            await message.Output.WriteAsync(new ChatSessionInfo(Id, ignored, _record.Turns > 0), message.Token).ConfigureAwait(false);
            await foreach (var ev in _services.Supervisor.RunAsync(
                (attempt, token) => AttemptAsync(message.Turn, attempt, token), message.Buffered, message.Token).ConfigureAwait(false))
            {
                await message.Output.WriteAsync(ev, message.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            message.Failure = ex;
        }
        finally
        {
            _busy = false;
            Touch();
        }
    }

    /// <summary>
    /// One attempt of a turn on this conversation's process. A failure kills the process and marks the transcript for
    /// a restore from the journal (the CLI keeps a failed prompt in its history, and a retry must not send it twice);
    /// a caller that goes away gets the turn interrupted, and the process stays warm.
    /// </summary>
    private async IAsyncEnumerable<ChatEvent> AttemptAsync(SessionTurn turn, int attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lease = await _services.Pool.AcquireAsync(admitted: attempt > 0, cancellationToken).ConfigureAwait(false);
        var started = _services.Time.GetUtcNow();
        IReadOnlyList<CliContentBlock> prompt;
        try
        {
            prompt = await PrepareAsync(turn.Request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (JournalFailures.IsJournalFailure(ex))
        {
            throw JournalFailures.NotRun(ex);
        }
        catch (Exception ex) when (ex is not ChatFailure and not OperationCanceledException)
        {
            // The file system failed under us: worth another attempt, and never an unexplained 500. The message names
            // no path; the log has the exception.
            _restoreTranscript = true;
            Log.PrepareFailed(_services.Logger, Id, ex);
            throw new ChatFailure(
                ChatFailureKind.Internal, "The server could not prepare the conversation's CLI process; the server log has the details.", isTransient: true, inner: ex);
        }

        var process = _process!;
        using var timeout = new CancellationTokenSource(_services.TurnTimeout, _services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var reader = new TurnReader(process, timeout, cancellationToken);
        var completed = false;
        var failed = false;
        try
        {
            await SendAsync(process, prompt, linked.Token).ConfigureAwait(false);
            while (true)
            {
                var (ev, error) = await NextAsync(reader, linked.Token).ConfigureAwait(false);
                if (error is not null)
                {
                    failed = error is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
                    ExceptionDispatchInfo.Throw(error);
                }

                if (ev is null)
                {
                    break;
                }

                if (ev is ChatCompleted done)
                {
                    // Stored before the client hears it is done: a turn the journal refused ends in an error instead.
                    await RecordTurnAsync(turn, prompt, reader, done, started, "completed").ConfigureAwait(false);
                    completed = true;
                }

                yield return ev;
            }
        }
        finally
        {
            if (!completed)
            {
                await AbandonAsync(turn, prompt, reader, process, started, failed).ConfigureAwait(false);
            }
        }
    }

    private static async Task<(ChatEvent? Event, Exception? Error)> NextAsync(TurnReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return (await reader.NextAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    private static async Task SendAsync(ClaudeProcess process, IReadOnlyList<CliContentBlock> prompt, CancellationToken cancellationToken)
    {
        try
        {
            await process.SendUserMessageAsync(prompt, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The process died; reading its output reports how.
        }
    }

    /// <summary>
    /// The turn did not complete. After a failure the process is killed and the transcript restored before the next
    /// start. When the caller went away mid-turn the CLI is asked to interrupt it, as its SDKs do: the process stays
    /// usable and the history keeps the prompt and the partial answer, recorded as an interrupted turn.
    /// </summary>
    private async Task AbandonAsync(SessionTurn turn, IReadOnlyList<CliContentBlock> prompt, TurnReader reader, ClaudeProcess process, DateTimeOffset started, bool failed)
    {
        if (!failed && !process.HasExited && reader.Result is null)
        {
            try
            {
                await process.SendInterruptAsync(CancellationToken.None).ConfigureAwait(false);
                if (await reader.DrainAsync(TimeSpan.FromSeconds(_services.Options.InterruptGraceSeconds)).ConfigureAwait(false))
                {
                    var usage = reader.Result?.Usage ?? CliUsage.Zero;
                    await RecordTurnAsync(turn, prompt, reader, new ChatCompleted(reader.Text.ToString(), null, usage, null), started, "interrupted").ConfigureAwait(false);
                    Log.Interrupted(_services.Logger, Id);
                    return;
                }
            }
            catch (ChatFailure)
            {
                // The interrupted turn was not stored (logged): the process goes, as after a failure.
            }
            catch (IOException)
            {
                // Gone meanwhile: handled as a failure below.
            }
        }

        _restoreTranscript = true;
        await StopProcessAsync(graceful: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the turn in the journal, then advances the conversation's record. When the journal refuses, nothing
    /// advances: the turn's number is free for the next one, and the CLI process, which holds the turn in its history,
    /// is restored from the journal before the next turn. Throws a <see cref="ChatFailureKind.JournalUnavailable"/> failure then.
    /// </summary>
    private async Task RecordTurnAsync(SessionTurn turn, IReadOnlyList<CliContentBlock> prompt, TurnReader reader, ChatCompleted done, DateTimeOffset started, string status)
    {
        var now = _services.Time.GetUtcNow();
        var before = _record;
        var hash = status == "completed" && turn.RecordContinuation && before.HistoryHash is { } previous
            ? Conversations.HistoryHash.Fold(
                Conversations.HistoryHash.Fold(previous, new CliMessage(CliRole.User, turn.Request.Prompt)),
                new CliMessage(CliRole.Assistant, [new CliTextBlock(done.Text)]))
            : null;
        var updated = before with
        {
            Turns = before.Turns + 1,
            LastUsed = now,
            HistoryHash = hash,
            Model = turn.Request.Model ?? before.Model,
            State = ConversationStatus.Warm,
        };
        var record = new TurnRecord
        {
            Sequence = updated.Turns,
            RequestJson = StreamJsonWriter.Content(prompt),
            Answer = done.Text,
            Status = status,
            StopReason = done.StopReason,
            InputTokens = done.Usage.InputTokens,
            OutputTokens = done.Usage.OutputTokens,
            CacheReadInputTokens = done.Usage.CacheReadInputTokens,
            CacheCreationInputTokens = done.Usage.CacheCreationInputTokens,
            Started = started,
            DurationMs = (long)(now - started).TotalMilliseconds,
        };
        try
        {
            await _services.Journal.AppendTurnAsync(updated, record, [.. reader.MirrorEntries], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (JournalFailures.IsJournalFailure(ex))
        {
            _restoreTranscript = true;
            Log.NotStored(_services.Logger, Id, $"turn {record.Sequence}", ex.Message);
            throw JournalFailures.NotStored(ex);
        }

        Volatile.Write(ref _record, updated);
        _registry.OnHistoryChanged(this, before.HistoryHash, hash);
    }

    /// <summary>
    /// Makes sure a fitting warm process runs and returns the input to send. A new conversation is created in the
    /// journal first, with the client's earlier messages as a transcript the CLI resumes; the system prompt is fixed then.
    /// </summary>
    private async Task<IReadOnlyList<CliContentBlock>> PrepareAsync(ChatTurnRequest request, CancellationToken cancellationToken)
    {
        _services.Workspace.EnsureAvailable();
        IReadOnlyList<CliContentBlock> prompt = request.Prompt;
        if (!_persisted)
        {
            var composed = PromptComposer.Compose(request with { SystemPrompt = _record.SystemPrompt }, _services.Workspace.Options.SystemPromptMode);
            var transcript = composed.History.Count == 0
                ? []
                : Cli.Transcripts.TranscriptWriter.Render(_record.CliSessionId, _services.Workspace.WorkingDirectory, composed.History, _services.Time.GetUtcNow())
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            _record = _record with { Model = request.Model };
            if (!await _services.Journal.CreateAsync(_record, transcript, [], cancellationToken).ConfigureAwait(false))
            {
                throw new ChatFailure(ChatFailureKind.InvalidRequest, $"The session '{Id}' was created by another request at the same time; send the turn again.", isTransient: true);
            }

            _persisted = true;
            _restoreTranscript = true;
            prompt = composed.Prompt;
        }

        await EnsureProcessAsync(request, cancellationToken).ConfigureAwait(false);
        return prompt;
    }
}
