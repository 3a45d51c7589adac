using Akka.Actor;
using Akka.Streams;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Process;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Transcripts;
using ClaudeActors.Processes;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Workers;

/// <summary>
/// One attempt of a stateless turn, run by a <see cref="CliWorker"/> off its mailbox; it touches no actor state and
/// reports how it ended. A turn without history runs on a warm process (the worker's, one from standby or a new one;
/// the model switched with <c>set_model</c>) which is reset with <c>/clear</c> afterwards, its transcript and temp files
/// removed. A turn with history runs as a one-shot process that resumes a transcript of it and is disposed after, and so
/// does a turn with a JSON Schema (<c>--json-schema</c>, which the CLI takes at launch only), so no reused process ever
/// carries a schema. A
/// process whose state is uncertain (a failure, a time-out, a caller that left mid-turn) is killed, never kept.
/// </summary>
internal sealed partial class StatelessAttempt(
    WarmProcessLauncher launcher,
    IActorRef standby,
    OwnedProcesses owned,
    WorkerPoolOptions options,
    TimeProvider time,
    ILogger logger,
    CancellationToken stopping,
    Usage.UsageClient? usage = null)
{
    private static readonly TimeSpan StandbyAskTimeout = TimeSpan.FromSeconds(5);

    private int _finished;

    /// <summary>Whether the attempt's completed turn was counted in the usage ledger already.</summary>
    private bool _spendRecorded;

    /// <summary>
    /// Whether <paramref name="request"/> runs on a process of its own, disposed after it: a turn with history (which
    /// the process resumes), or one with a JSON Schema, which the CLI takes only at launch and never drops, so the
    /// process could not serve another request.
    /// </summary>
    public static bool RunsOneShot(ChatTurnRequest request, ComposedTurn composed) => composed.History.Count > 0 || request.JsonSchema is not null;

    /// <summary>The settings a warm process needs for <paramref name="request"/>.</summary>
    public static WarmLaunch LaunchFor(ChatTurnRequest request, ComposedTurn composed) => new()
    {
        Model = request.Model,
        Effort = request.Effort,
        MaxOutputTokens = request.MaxOutputTokens,
        MaxBudgetUsd = request.MaxBudgetUsd,
        SystemPrompt = composed.CliSystemPrompt,
    };

    /// <summary>
    /// Runs the attempt, writing its events to <paramref name="output"/>. <paramref name="warm"/> is the worker's warm
    /// process (null for a turn with history, or when it has none); the result says what the worker keeps. Throws only
    /// on a fault of the server itself (after reporting it on the stream and killing the process), for the worker to crash.
    /// </summary>
    public async Task<CliWorker.AttemptEnded> RunAsync(
        ChatTurnRequest request, ComposedTurn composed, WarmProcess? warm, ISourceQueueWithComplete<ChatEvent> output, string? requestId = null)
    {
        // The attempt's log lines carry its request's id; an async method's change stays in its own flow, not the actor's.
        Telemetry.RequestContext.Set(requestId);
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _ = output.WatchCompletionAsync().ContinueWith(
            _ => CancelUnlessFinished(turn), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(turn.Token, timeout.Token);
        try
        {
            return RunsOneShot(request, composed)
                ? await RunOneShotAsync(request, composed, output, turn, timeout, linked.Token).ConfigureAwait(false)
                : await RunWarmAsync(request, composed, warm, output, turn, timeout, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            Finish(output);
        }
    }

    private async Task<CliWorker.AttemptEnded> RunWarmAsync(
        ChatTurnRequest request,
        ComposedTurn composed,
        WarmProcess? warm,
        ISourceQueueWithComplete<ChatEvent> output,
        CancellationTokenSource turn,
        CancellationTokenSource timeout,
        CancellationToken token)
    {
        var wanted = LaunchFor(request, composed);
        WarmProcess? process = null;
        TurnReader? reader = null;
        try
        {
            process = await AcquireAsync(warm, wanted, token).ConfigureAwait(false);
            await process.Process.SendPromptAsync(composed.Prompt, closeInput: false, token).ConfigureAwait(false);
            reader = new TurnReader(process.Process, timeout, turn.Token, time);
            await ForwardAsync(request, reader, output, turn, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var launch = process is null ? null : process.Launch with { Model = process.Model };
            if (process is not null)
            {
                // A failure the CLI reported after its upstream calls (a spending cap reached) still spent.
                RecordFailed(request, reader, process.Process);
                owned.Kill(process);
                Log.Killed(logger, process.ProcessId, ex.GetType().Name);
            }

            await ReportAsync(ex, output, turn, timeout).ConfigureAwait(false);
            if (IsFault(ex))
            {
                throw;
            }

            return stopping.IsCancellationRequested ? new CliWorker.AttemptEnded(null, null) : new CliWorker.AttemptEnded(null, launch);
        }

        // The answer is out: reset the process for the next request, off the caller's path.
        Finish(output);
        try
        {
            await launcher.RecycleAsync(process, forgetConversation: true, stopping).ConfigureAwait(false);
            return new CliWorker.AttemptEnded(process, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RecycleFailed(logger, process.ProcessId, ex.Message);
            owned.Kill(process);
            return new CliWorker.AttemptEnded(null, stopping.IsCancellationRequested ? null : process.Launch with { Model = process.Model });
        }
    }

    /// <summary>
    /// A process that can serve <paramref name="wanted"/>: the worker's warm one, else one from standby, else a new one
    /// (started here, on the request's path); its model switched when it differs.
    /// </summary>
    private async Task<WarmProcess> AcquireAsync(WarmProcess? warm, WarmLaunch wanted, CancellationToken token)
    {
        if (warm is not null && (warm.HasExited || !warm.Fits(wanted)))
        {
            if (warm.HasExited)
            {
                owned.Kill(warm);
            }
            else
            {
                HandBack(warm);
            }

            warm = null;
        }

        warm ??= await TakeStandbyAsync(wanted, token).ConfigureAwait(false) ?? StartOwn(wanted);
        try
        {
            await warm.SetModelAsync(wanted.Model, token).ConfigureAwait(false);
            return warm;
        }
        catch (CliProtocolException ex)
        {
            // It would not switch: a new process with the model on its command line.
            Log.Killed(logger, warm.ProcessId, ex.Message);
            owned.Kill(warm);
            return StartOwn(wanted);
        }
        catch
        {
            owned.Kill(warm);
            throw;
        }
    }

    private async Task<WarmProcess?> TakeStandbyAsync(WarmLaunch wanted, CancellationToken token)
    {
        if (standby.IsNobody())
        {
            return null;
        }

        StandbyProcesses.StandbyTaken taken;
        try
        {
            taken = await standby.Ask<StandbyProcesses.StandbyTaken>(new StandbyProcesses.TakeStandby(wanted), StandbyAskTimeout, token).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }

        if (taken.Process is not { } process)
        {
            return null;
        }

        if (!owned.AdoptOrKill(process))
        {
            throw new OperationCanceledException(stopping);
        }

        return process;
    }

    private WarmProcess StartOwn(WarmLaunch wanted)
    {
        var process = launcher.Start(wanted);
        if (!owned.AdoptOrKill(process))
        {
            throw new OperationCanceledException(stopping);
        }

        return process;
    }

    /// <summary>A good process this worker cannot use now goes to standby (which keeps or ends it).</summary>
    private void HandBack(WarmProcess process)
    {
        if (owned.Remove(process))
        {
            if (standby.IsNobody())
            {
                _ = launcher.ShutdownAsync(process, forgetConversation: true);
            }
            else
            {
                standby.Tell(new StandbyProcesses.ReturnProcess(process, ForgetConversation: true));
            }
        }
    }

    private async Task<CliWorker.AttemptEnded> RunOneShotAsync(
        ChatTurnRequest request,
        ComposedTurn composed,
        ISourceQueueWithComplete<ChatEvent> output,
        CancellationTokenSource turn,
        CancellationTokenSource timeout,
        CancellationToken token)
    {
        var workspace = launcher.Workspace;
        var sessionId = Guid.NewGuid().ToString();
        ClaudeProcess? process = null;
        TurnReader? reader = null;
        try
        {
            var resume = composed.History.Count > 0;
            if (resume)
            {
                await TranscriptWriter.WriteAsync(
                    workspace.Paths.TranscriptPath(sessionId), sessionId, workspace.WorkingDirectory, composed.History, time.GetUtcNow(), token)
                    .ConfigureAwait(false);
            }

            var spec = new CliLaunchSpec
            {
                Model = request.Model,
                Effort = request.Effort,
                SystemPrompt = composed.CliSystemPrompt,
                ResumeSessionId = resume ? sessionId : null,
                NewSessionId = resume ? null : sessionId,
                JsonSchema = request.JsonSchema,
                MaxBudgetUsd = request.MaxBudgetUsd,
            };
            process = launcher.StartOneShot(spec, sessionId, request.MaxOutputTokens);
            await process.SendPromptAsync(composed.Prompt, closeInput: true, token).ConfigureAwait(false);
            reader = new TurnReader(process, timeout, turn.Token, time, request.JsonSchema is not null);
            await ForwardAsync(request, reader, output, turn, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (process is not null)
            {
                RecordFailed(request, reader, process);
            }

            await ReportAsync(ex, output, turn, timeout).ConfigureAwait(false);
            if (IsFault(ex))
            {
                throw;
            }
        }
        finally
        {
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            workspace.DeleteTranscript(sessionId);
            workspace.DeleteTempDirectory(sessionId);
        }

        return new CliWorker.AttemptEnded(null, null);
    }

    /// <summary>
    /// Passes the attempt's events on. A completed turn's usage is counted here, where it runs, before its client reads
    /// the end (it may never).
    /// </summary>
    private async Task ForwardAsync(ChatTurnRequest request, TurnReader reader, ISourceQueueWithComplete<ChatEvent> output, CancellationTokenSource turn, CancellationToken token)
    {
        while (await reader.NextAsync(token).ConfigureAwait(false) is { } ev)
        {
            if (ev is ChatCompleted done && request.Payer is { } payer)
            {
                _spendRecorded = true;
                usage?.Record(payer, done);
            }

            await OfferAsync(output, ev, turn, token).ConfigureAwait(false);
        }
    }

    /// <summary>What a failed attempt spent, unless its completion was counted already.</summary>
    private void RecordFailed(ChatTurnRequest request, TurnReader? reader, ClaudeProcess process)
    {
        if (!_spendRecorded)
        {
            usage?.RecordFailed(request.Payer, reader?.Result, process);
        }
    }

    /// <summary>Offers one element, waiting while the caller is slow (back-pressure); a stream the caller left cancels the turn.</summary>
    private static async Task OfferAsync(ISourceQueueWithComplete<ChatEvent> output, ChatEvent ev, CancellationTokenSource turn, CancellationToken token)
    {
        IQueueOfferResult result;
        try
        {
            // An offer pending when the stream is cancelled never completes: hence the token.
            result = await output.OfferAsync(ev).WaitAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = QueueOfferResult.QueueClosed.Instance;
        }

        if (result is not QueueOfferResult.Enqueued)
        {
            CancelQuietly(turn);
            throw new OperationCanceledException(turn.Token);
        }
    }

    /// <summary>A failure of the server itself, not of the turn or its process: the worker crashes on it (and is restarted).</summary>
    private static bool IsFault(Exception ex) => ex is not (ChatFailure or OperationCanceledException or CliProtocolException);

    /// <summary>
    /// Puts the failure on the stream as a <see cref="ChatFailed"/> (unless the caller left or the worker stops): a
    /// time-out as <see cref="ChatFailureKind.Timeout"/>, a process that broke the protocol as a transient
    /// <see cref="ChatFailureKind.ProcessFailed"/>, a fault of the server as <see cref="ChatFailureKind.Internal"/>.
    /// </summary>
    private async Task ReportAsync(Exception ex, ISourceQueueWithComplete<ChatEvent> output, CancellationTokenSource turn, CancellationTokenSource timeout)
    {
        var failure = ex switch
        {
            ChatFailure chat => chat,
            OperationCanceledException when turn.IsCancellationRequested => null,
            OperationCanceledException when timeout.IsCancellationRequested => new ChatFailure(
                ChatFailureKind.Timeout, "The Claude CLI did not finish within the configured time-out.", isTransient: true, inner: ex),
            OperationCanceledException or CliProtocolException => new ChatFailure(
                ChatFailureKind.ProcessFailed, "The Claude CLI process stopped answering as expected.", isTransient: true, inner: ex),
            _ => new ChatFailure(ChatFailureKind.Internal, "The server failed to run the turn.", isTransient: false, inner: ex),
        };
        if (failure is null)
        {
            return;
        }

        if (failure.Kind == ChatFailureKind.Internal)
        {
            Log.Fault(logger, ex);
        }

        try
        {
            using var limit = new CancellationTokenSource(StandbyAskTimeout);
            await output.OfferAsync(ChatFailed.From(failure)).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception offerFailure) when (offerFailure is not OutOfMemoryException)
        {
            // The caller left meanwhile.
        }
    }

    private void Finish(ISourceQueueWithComplete<ChatEvent> output)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
        {
            try
            {
                output.Complete();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Cancelled by the caller already.
            }
        }
    }

    private void CancelUnlessFinished(CancellationTokenSource turn)
    {
        if (Volatile.Read(ref _finished) == 0)
        {
            CancelQuietly(turn);
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(620, LogLevel.Debug, "Killed CLI process {ProcessId}, whose state is uncertain ({Reason})")]
        public static partial void Killed(ILogger logger, int processId, string reason);

        [LoggerMessage(621, LogLevel.Warning, "CLI process {ProcessId} could not be reset after a stateless turn and was killed: {Reason}")]
        public static partial void RecycleFailed(ILogger logger, int processId, string reason);

        [LoggerMessage(622, LogLevel.Error, "A stateless turn failed inside the server")]
        public static partial void Fault(ILogger logger, Exception exception);
    }
}
