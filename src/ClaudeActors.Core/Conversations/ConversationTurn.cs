using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Akka.Actor;
using Akka.Streams;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Transcripts;
using ClaudeActors.Persistence;
using ClaudeActors.Processes;
using ClaudeActors.Sessions;
using ClaudeActors.Telemetry;
using ClaudeActors.Workers;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Conversations;

/// <summary>
/// One turn of a conversation, run off the entity's mailbox: it writes the turn's events to the turn's stream, runs
/// the attempts under the supervisor (the one owner of retries), and has every change persisted by the entity (asking
/// it, and waiting for the answer) before the client hears of it. It alone uses the conversation's process while it runs.
/// </summary>
internal sealed partial class ConversationTurn(
    string conversationId,
    ConversationServices services,
    ConversationProcess process,
    IActorRef entity,
    StartTurn start,
    ISourceQueueWithComplete<ChatEvent> output,
    CancellationToken cancellation)
{
    private ConversationState _state = ConversationState.Empty;

    /// <summary>Set by <see cref="PrepareAsync"/> when a tool-result turn runs on a resumed process, which must be told to go on.</summary>
    private bool _resumeCold;

    /// <summary>
    /// Runs the turn to its end; never throws (a failure is the stream's last element). The turn is a span under its
    /// request's (<see cref="StartTurn.Trace"/>), and its log lines carry the request's id.
    /// </summary>
    public async Task RunAsync(ConversationState state)
    {
        using var span = ClaudeActorsTelemetry.StartUnder(ClaudeActorsTelemetry.ConversationTurnSpan, start.Trace?.TraceParent);
        RequestContext.Set(start.Trace?.RequestId);
        span?.SetTag(ClaudeActorsTelemetry.RequestIdTag, start.Trace?.RequestId);
        span?.SetTag("claude_actors.conversation.origin", start.Origin);
        _state = state;
        try
        {
            if (cancellation.IsCancellationRequested || services.Time.GetUtcNow() > start.Deadline + services.TurnTimeout)
            {
                // Its reader left while it waited behind another turn.
                return;
            }

            var request = start.Turn.Request;
            var record = state.Record;
            var ignored = record is not null && request.SystemPrompt is not null && request.SystemPrompt != record.SystemPrompt;
            if (IdempotentTurns.Recorded(state, request) is { } stored)
            {
                // A resend of a turn the conversation completed: its stored answer, and nothing runs or is stored.
                foreach (var ev in IdempotentTurns.Replay(conversationId, ignored, stored, request))
                {
                    await OfferAsync(ev).ConfigureAwait(false);
                }

                return;
            }

            if (request.FollowsResponseId is { } follows && (state.Turns.Count == 0 || state.Turns[^1].ResponseId != follows))
            {
                // Checked here, where the conversation's turns run one at a time: another continuation may have run first.
                throw new ChatFailure(
                    ChatFailureKind.PreviousResponseNotLatest,
                    "previous_response_id is not the latest response of its conversation; this server continues a conversation only from its latest response (no branching: fork the conversation with POST /v1/sessions/{id}/fork and continue there).",
                    isTransient: false);
            }

            services.WarmCap.Tell(new WarmProcessCap.TurnStarted(entity, conversationId));
            await OfferAsync(new ChatSessionInfo(conversationId, ignored, record?.Turns > 0)).ConfigureAwait(false);
            await foreach (var ev in services.Supervisor.RunAsync(TurnLabels.Conversation(request.Model), AttemptAsync, start.Buffered, cancellation).ConfigureAwait(false))
            {
                await OfferAsync(ev).ConfigureAwait(false);
            }
        }
        catch (ChatFailure failure)
        {
            await TryOfferAsync(ChatFailed.From(failure)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The reader left: nothing to tell.
        }
        catch (Exception ex)
        {
            Log.TurnFailed(services.Logger, conversationId, ex);
            await TryOfferAsync(new ChatFailed(ChatFailureKind.Internal, "The turn failed inside the server; the server log has the details.", false, null)).ConfigureAwait(false);
        }
        finally
        {
            output.Complete();
            services.WarmCap.Tell(new WarmProcessCap.TurnEnded(entity, conversationId, process.Info));
        }
    }

    private async Task OfferAsync(ChatEvent ev)
    {
        var result = await output.OfferAsync(ev).WaitAsync(cancellation).ConfigureAwait(false);
        if (result is not QueueOfferResult.Enqueued)
        {
            throw new OperationCanceledException("The turn's reader is gone.", cancellation);
        }
    }

    private async Task TryOfferAsync(ChatEvent ev)
    {
        try
        {
            await output.OfferAsync(ev).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The reader is gone.
        }
    }

    /// <summary>Asks the entity to persist an event and returns the state after it; a journal failure throws.</summary>
    private async Task PersistAsync(IConversationEvent @event)
    {
        var persisted = await entity.Ask<ConversationActor.EventPersisted>(new ConversationActor.PersistEvent(@event), Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        _state = persisted.State;
    }

    /// <summary>
    /// One attempt of the turn on the conversation's process. A failure kills the process and marks the transcript for
    /// a restore from the events (the CLI keeps a failed prompt in its history, and a retry must not send it twice); a
    /// caller that goes away gets the turn interrupted, and the process stays warm.
    /// </summary>
    private async IAsyncEnumerable<ChatEvent> AttemptAsync(int attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lease = await services.Admission.AcquireAsync(admitted: attempt > 0, cancellationToken).ConfigureAwait(false);
        if (!services.Capacity.HasRoom())
        {
            // A full journal refuses the turn before it costs an upstream call, as a full disk would.
            throw JournalFailures.NotRun(new Persistence.JournalUnavailableException(JournalCapacity.FullReason, new IOException(JournalCapacity.FullReason)));
        }

        var started = services.Time.GetUtcNow();
        var turn = start.Turn;
        var continuing = PendingToolCalls.Check(_state.Record, turn.Request);
        IReadOnlyList<CliContentBlock> prompt;
        ClaudeProcess cli;
        try
        {
            (prompt, cli) = await PrepareAsync(turn.Request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (JournalFailures.IsJournalFailure(ex))
        {
            throw JournalFailures.NotRun(ex);
        }
        catch (Exception ex) when (ex is not ChatFailure and not OperationCanceledException)
        {
            // The file system failed under us: worth another attempt, and never an unexplained 500. The message names
            // no path; the log has the exception.
            process.RestoreTranscript = true;
            Log.PrepareFailed(services.Logger, conversationId, ex);
            throw new ChatFailure(
                ChatFailureKind.Internal, "The server could not prepare the conversation's CLI process; the server log has the details.", isTransient: true, inner: ex);
        }

        using var timeout = new CancellationTokenSource(services.TurnTimeout, services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var structured = turn.Request.JsonSchema is not null;
        var reader = new TurnReader(cli, timeout, cancellationToken, services.Time, structured) { ParallelToolCalls = turn.Request.ParallelToolCalls };
        var completed = false;
        var failed = false;
        try
        {
            if (continuing)
            {
                // The model's turn waits in the CLI's tools/call: the results let it go on, no new prompt.
                prompt = PendingToolCalls.Describe(turn.Request.ToolResults);
                if (_resumeCold)
                {
                    await cli.SendPromptAsync([new CliTextBlock(ToolTranscript.ContinuePrompt)], closeInput: false, linked.Token).ConfigureAwait(false);
                }
                else
                {
                    PendingToolCalls.Answer(cli, turn.Request.ToolResults);
                }
            }
            else
            {
                await cli.SendPromptAsync(turn.Request.WithToolInstruction(prompt), closeInput: false, linked.Token).ConfigureAwait(false);
            }

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
                    await RecordTurnAsync(prompt, reader, done, started, done.ToolCalls.Count > 0 ? "tool_calls" : "completed").ConfigureAwait(false);
                    completed = true;
                    if (structured)
                    {
                        await EndStructuredProcessAsync().ConfigureAwait(false);
                    }
                }

                yield return ev;
            }
        }
        finally
        {
            if (!completed)
            {
                if (failed)
                {
                    // A failure the CLI reported after its upstream calls (a spending cap reached) still spent.
                    services.Usage?.RecordFailed(turn.Request.Payer, reader.Result, cli);
                }

                await AbandonAsync(prompt, reader, cli, started, failed || structured).ConfigureAwait(false);
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

    /// <summary>
    /// The turn did not complete. After a failure the process is killed and the transcript restored before the next
    /// start. When the caller went away mid-turn the CLI is asked to interrupt it, as its SDKs do: the process stays
    /// usable and the history keeps the prompt and the partial answer, recorded as an interrupted turn. A structured turn
    /// (<c>--json-schema</c>) is handled as a failure instead: its process is killed and it leaves nothing in the history.
    /// </summary>
    private async Task AbandonAsync(IReadOnlyList<CliContentBlock> prompt, TurnReader reader, ClaudeProcess cli, DateTimeOffset started, bool failed)
    {
        if (!failed && !cli.HasExited && reader.Result is null)
        {
            try
            {
                await cli.SendInterruptAsync(CancellationToken.None).ConfigureAwait(false);
                if (await reader.DrainAsync(TimeSpan.FromSeconds(services.Options.InterruptGraceSeconds)).ConfigureAwait(false))
                {
                    var usage = reader.Result?.Usage ?? CliUsage.Zero;

                    // Its cost is taken from the process's running total here, so the next turn's is its own.
                    var cost = reader.Result is { } result ? cli.TurnCostUsd(result) : null;
                    await RecordTurnAsync(prompt, reader, new ChatCompleted(reader.Text.ToString(), null, usage, cost), started, "interrupted").ConfigureAwait(false);
                    Log.Interrupted(services.Logger, conversationId);
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

        process.RestoreTranscript = true;
        await process.StopAsync(graceful: false).ConfigureAwait(false);
        services.WarmCap.Tell(new WarmProcessCap.ProcessStopped(entity));
    }

    /// <summary>
    /// Ends the process a structured turn ran on. It was started with that turn's <c>--json-schema</c>, which the CLI
    /// cannot drop, and its history holds the <c>StructuredOutput</c> call the journal stores flattened
    /// (<see cref="StructuredTranscript"/>): the next turn starts a process from the journal's transcript.
    /// </summary>
    private async Task EndStructuredProcessAsync()
    {
        process.RestoreTranscript = true;
        await process.StopAsync(graceful: false).ConfigureAwait(false);
        services.WarmCap.Tell(new WarmProcessCap.ProcessStopped(entity));
    }

    /// <summary>
    /// Has the turn persisted, then the conversation's state advances. When the journal refuses, nothing advances: the
    /// CLI process, which holds the turn in its history, is restored from the events before the next turn. Throws a
    /// <see cref="ChatFailureKind.JournalUnavailable"/> failure then.
    /// </summary>
    private async Task RecordTurnAsync(IReadOnlyList<CliContentBlock> prompt, TurnReader reader, ChatCompleted done, DateTimeOffset started, string status)
    {
        var now = services.Time.GetUtcNow();
        var before = _state.Record!;
        var request = start.Turn.Request;

        // The CLI spent it whether or not the journal keeps the turn, and whether or not the client still reads.
        if (request.Payer is { } payer)
        {
            services.Usage?.Record(payer, done);
        }
        var said = done.Text + string.Concat(done.ToolCalls.Select(c => ToolCallText.Call(c.Name, c.Arguments, c.Id)));
        var hash = status is "completed" or "tool_calls" && start.Turn.RecordContinuation && before.HistoryHash is { } previous
            ? HistoryHash.Fold(
                HistoryHash.Fold(previous, new CliMessage(CliRole.User, request.ToolResults.Count > 0 ? PendingToolCalls.Describe(request.ToolResults) : request.Prompt)),
                new CliMessage(CliRole.Assistant, said.Length == 0 ? [] : [new CliTextBlock(said)]))
            : null;
        var turn = new TurnRecord
        {
            Sequence = before.Turns + 1,
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
            IdempotencyKey = start.Turn.Request.IdempotencyKey,
            InputFingerprint = IdempotentTurns.Fingerprint(start.Turn.Request),
            ToolCalls = [.. done.ToolCalls.Select(c => new ToolCallRecord(c.Id, c.Name, c.Arguments))],
            ResponseId = request.ResponseId,
            ResponseEnvelope = request.ResponseEnvelope,
        };
        var structured = status == "completed" && start.Turn.Request.JsonSchema is not null;
        var transcript = structured ? StructuredTranscript.Flatten(reader.MirrorEntries, done.Text) : reader.MirrorEntries;
        if (!services.Capacity.HasRoomFor(turn.RequestJson.Length + turn.Answer.Length + transcript.Sum(e => (long)e.Length)))
        {
            process.RestoreTranscript = true;
            Log.NotStored(services.Logger, conversationId, $"turn {turn.Sequence}", JournalCapacity.FullReason);
            throw JournalFailures.NotStored(new Persistence.JournalUnavailableException(JournalCapacity.FullReason, new IOException(JournalCapacity.FullReason)));
        }

        try
        {
            await PersistAsync(new TurnRecorded(turn, [.. transcript], hash, start.Turn.Request.Model, now)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            process.RestoreTranscript = true;
            Log.NotStored(services.Logger, conversationId, $"turn {turn.Sequence}", ex.Message);
            throw JournalFailures.NotStored(new Persistence.JournalUnavailableException("the write failed", ex));
        }
    }

    /// <summary>
    /// Makes sure a fitting warm process runs and returns the input to send. A new conversation is created (persisted)
    /// first, with the client's earlier messages as a transcript the CLI resumes; the system prompt is fixed then.
    /// </summary>
    private async Task<(IReadOnlyList<CliContentBlock> Prompt, ClaudeProcess Process)> PrepareAsync(ChatTurnRequest request, CancellationToken cancellationToken)
    {
        services.Workspace.EnsureAvailable();
        IReadOnlyList<CliContentBlock> prompt = request.Prompt;
        var adopted = false;
        if (!_state.Exists)
        {
            var now = services.Time.GetUtcNow();
            var composed = PromptComposer.Compose(request, services.Workspace.Options.SystemPromptMode);

            // A conversation with no history yet runs on a standby process when one fits: no CLI start to wait for.
            // A capped turn needs a process started with its cap (see ConversationProcess.EnsureAsync).
            var standby = composed.History.Count == 0 && request.JsonSchema is null && request.Tools.Count == 0 && request.MaxBudgetUsd is null ? await TakeStandbyAsync(request, composed, cancellationToken).ConfigureAwait(false) : null;
            var cliSessionId = standby?.CliSessionId ?? ConversationIds.NewCliSessionId();
            var record = new ConversationRecord
            {
                Id = conversationId,
                Tenant = Tenants.ConversationKey.TenantOf(conversationId),
                CliSessionId = cliSessionId,
                Model = request.Model,
                SystemPrompt = request.SystemPrompt,
                Created = now,
                LastUsed = now,
                HistoryHash = HistoryHash.Of(request.SystemPrompt, request.History),
                Origin = start.Origin,
            };
            var transcript = composed.History.Count == 0
                ? []
                : TranscriptWriter.Render(cliSessionId, services.Workspace.WorkingDirectory, composed.History, now)
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                await PersistAsync(new ConversationStarted(record, transcript, [], now)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (standby is not null)
                {
                    // Untouched but for its model: back to standby, which resets it or ends it.
                    services.Standby.Tell(new StandbyProcesses.ReturnProcess(standby, ForgetConversation: true));
                }

                throw JournalFailures.NotRun(new Persistence.JournalUnavailableException("the write failed", ex));
            }

            if (standby is not null)
            {
                process.Adopt(standby, request.Model);
                adopted = true;
            }
            else
            {
                process.RestoreTranscript = true;
            }

            prompt = composed.Prompt;
        }

        _resumeCold = false;
        if (request.ToolResults.Count > 0 && process.Current?.ToolServer is null)
        {
            // The process that waited on the calls is gone: the results go into the transcript, as the CLI writes
            // them, and a resumed process goes on from there.
            var paused = _state.Turns[^1];
            var now = services.Time.GetUtcNow();
            var entries = ToolTranscript.Continue(
                _state.Transcript, _state.Record!.CliSessionId, services.Workspace.WorkingDirectory, paused.ToolCalls, paused.Answer, request.ToolResults, now);
            await PersistAsync(new TranscriptAppended(entries, now)).ConfigureAwait(false);
            process.RestoreTranscript = true;
            await process.StopAsync(graceful: false).ConfigureAwait(false);
            _resumeCold = true;
        }

        var stragglers = new List<string>();
        var (cli, startedNew) = await process.EnsureAsync(_state, request, stragglers, cancellationToken).ConfigureAwait(false);
        if (stragglers.Count > 0)
        {
            await PersistAsync(new TranscriptAppended(stragglers, services.Time.GetUtcNow())).ConfigureAwait(false);
        }

        if (startedNew || adopted)
        {
            services.WarmCap.Tell(new WarmProcessCap.ProcessStarted(entity, conversationId, process.Info));
        }

        return (prompt, cli);
    }

    /// <summary>
    /// A standby process for a new conversation's first turn, switched to its model; null when none fits or is ready,
    /// or it would not switch (then it is killed): the turn starts its own process.
    /// </summary>
    private async Task<WarmProcess?> TakeStandbyAsync(ChatTurnRequest request, ComposedTurn composed, CancellationToken cancellationToken)
    {
        if (services.Standby.IsNobody())
        {
            return null;
        }

        var launch = new WarmLaunch
        {
            Model = request.Model,
            Effort = request.Effort,
            MaxOutputTokens = request.MaxOutputTokens,
            SystemPrompt = composed.CliSystemPrompt,
        };
        StandbyProcesses.StandbyTaken taken;
        try
        {
            taken = await services.Standby.Ask<StandbyProcesses.StandbyTaken>(new StandbyProcesses.TakeStandby(launch), StandbyAskTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }

        if (taken.Process is not { } standby)
        {
            return null;
        }

        try
        {
            await standby.SetModelAsync(request.Model, cancellationToken).ConfigureAwait(false);
            return standby;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StandbyRefused(services.Logger, conversationId, standby.ProcessId, ex.Message);
            standby.Process.Kill();
            await standby.Process.DisposeAsync().ConfigureAwait(false);
            services.Workspace.DeleteTempDirectory(standby.TempOwner);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            return null;
        }
    }

    private static readonly TimeSpan StandbyAskTimeout = TimeSpan.FromSeconds(5);

    private static partial class Log
    {
        [LoggerMessage(303, LogLevel.Information, "Conversation {ConversationId}: turn interrupted, the process stays warm")]
        public static partial void Interrupted(ILogger logger, string conversationId);

        [LoggerMessage(304, LogLevel.Warning, "Conversation {ConversationId}: {What} was not stored in the journal: {Reason}")]
        public static partial void NotStored(ILogger logger, string conversationId, string what, string reason);

        [LoggerMessage(306, LogLevel.Error, "Conversation {ConversationId}: preparing the CLI process failed")]
        public static partial void PrepareFailed(ILogger logger, string conversationId, Exception exception);

        [LoggerMessage(312, LogLevel.Warning, "Conversation {ConversationId}: standby CLI process {ProcessId} would not switch models and was killed: {Reason}")]
        public static partial void StandbyRefused(ILogger logger, string conversationId, int processId, string reason);

        [LoggerMessage(307, LogLevel.Error, "Conversation {ConversationId}: the turn failed")]
        public static partial void TurnFailed(ILogger logger, string conversationId, Exception exception);
    }
}
