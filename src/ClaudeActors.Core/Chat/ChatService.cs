using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using ClaudeActors.Clustering;
using ClaudeActors.Conversations;
using ClaudeActors.Projections;
using ClaudeActors.Sessions;
using ClaudeActors.Supervision;
using ClaudeActors.Telemetry;
using ClaudeActors.Tenants;
using ClaudeActors.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Chat;

/// <summary>
/// Where the HTTP layer sends turns. A turn with a session id goes to that conversation's entity through the shard
/// region; one without goes to the conversation whose history it resends (<see cref="SessionOptions.AutoSessions"/>,
/// found in the conversation index), or, with that off, to the CLI worker pool. The turn's events come back as an
/// Akka.Streams source (a stream ref) read with back-pressure; leaving the enumeration cancels the stream, and the
/// entity interrupts the CLI turn.
/// </summary>
internal sealed partial class ChatService(
    IRequiredActor<ConversationRegion> region,
    IRequiredActor<ConversationIndex> index,
    ActorSystem system,
    TurnSupervisor supervisor,
    CliWorkerClient workers,
    WorkerPool admission,
    NodeDepartures departures,
    IOptions<ClusterNodeOptions> cluster,
    IOptions<SessionOptions> options,
    IOptions<Cli.CliOptions> cli,
    TimeProvider time,
    IOptions<LoggingOptions> logging,
    ILogger<ChatService> logger)
{
    /// <summary>How long a request waits for its conversation to take the turn (a cold start recovers it first).</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a failed stream from another node waits to hear whether that node left the cluster.</summary>
    private static readonly TimeSpan DepartureGrace = TimeSpan.FromSeconds(5);

    /// <summary>In a cluster, how long one attempt of that ask waits (see <see cref="AskAsync"/>).</summary>
    public static readonly TimeSpan ClusterAttemptTimeout = TimeSpan.FromSeconds(20);

    private readonly IMaterializer _materializer = system.Materializer(namePrefix: "chat");

    /// <summary>
    /// Runs a turn; <paramref name="buffered"/> callers show nothing before the end (see <see cref="TurnSupervisor"/>).
    /// <paramref name="recordContinuation"/> says the answer will reach the client whole, so a resend of it can
    /// continue the conversation. <paramref name="sessionId"/> is the client's id, taken in <paramref name="tenant"/>'s
    /// conversations (<see cref="ConversationKey"/>); the session the events name is the client's id again.
    /// </summary>
    public IAsyncEnumerable<ChatEvent> StreamAsync(
        ChatTurnRequest request, string? sessionId, bool recordContinuation, bool buffered, string tenant, CancellationToken cancellationToken)
    {
        // Tool calling needs a conversation to hold the paused turn between requests, so such requests go to one even
        // with AutoSessions off: found again by the history they resend.
        if (sessionId is not null || options.Value.AutoSessions || request.Tools.Count > 0 || request.ToolResults.Count > 0)
        {
            request = WithBudget(request);
            LogPrompt(request);
            return ConversationTurnAsync(new SessionTurn(request, recordContinuation), sessionId, buffered, tenant, cancellationToken);
        }

        return StatelessAsync(request, buffered, cancellationToken);
    }

    /// <summary>
    /// Runs a turn that belongs to no conversation on the CLI worker pool, whatever <see cref="SessionOptions.AutoSessions"/>
    /// says (legacy completions; chat requests with it off): admitted by <see cref="WorkerPool"/>, retried by the supervisor.
    /// </summary>
    public IAsyncEnumerable<ChatEvent> StatelessAsync(ChatTurnRequest request, bool buffered, CancellationToken cancellationToken)
    {
        request = WithBudget(request);
        LogPrompt(request);
        return supervisor.RunAsync(TurnLabels.Stateless(request.Model), (attempt, token) => workers.RunAsync(request, attempt, token), buffered, cancellationToken);
    }

    /// <summary>The turn's prompt text, only when <see cref="LoggingOptions.IncludePrompts"/> says so.</summary>
    private void LogPrompt(ChatTurnRequest request)
    {
        if (logging.Value.IncludePrompts)
        {
            var text = string.Join("\n", request.Prompt.OfType<Cli.Protocol.CliTextBlock>().Select(b => b.Text));
            Log.Prompt(logger, request.Model ?? "default", request.History.Count, text);
        }
    }

    /// <summary>The request's own spending cap (<c>max_budget_usd</c>), else the configured one (<see cref="Cli.CliOptions.MaxBudgetUsd"/>).</summary>
    private ChatTurnRequest WithBudget(ChatTurnRequest request) =>
        request.MaxBudgetUsd is null && cli.Value.MaxBudgetUsd is { } budget ? request with { MaxBudgetUsd = budget } : request;

    private async IAsyncEnumerable<ChatEvent> ConversationTurnAsync(
        SessionTurn turn, string? sessionId, bool buffered, string tenant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (admission.RefusalNow() is { } refusal)
        {
            // Refused before the turn reaches its conversation: no entity starts or recovers for it.
            throw refusal;
        }

        var (id, expected) = sessionId is null
            ? await FindResentAsync(turn.Request, tenant, cancellationToken).ConfigureAwait(false)
            : (ConversationKey.For(tenant, sessionId), null);
        var origin = sessionId is null ? "auto" : "client";
        while (true)
        {
            var reply = await AskAsync(deadline => new StartTurn(id, turn, buffered, origin, expected, deadline, TurnTrace.Current(RequestContext.RequestId)), cancellationToken).ConfigureAwait(false);
            switch (reply)
            {
                case TurnNotContinued:
                    // Another resend continues that conversation, or it moved on: this history starts a new one.
                    (id, expected) = (ConversationKey.For(tenant, Guid.NewGuid().ToString("D")), null);
                    continue;
                case ConversationFailed failed:
                    throw failed.Failure.ToException();
                case TurnAccepted accepted:
                    var bounced = false;
                    var completed = false;

                    // The stream comes from the node that runs the conversation: if that node leaves the cluster (a
                    // crash, then downing), the read ends instead of waiting for it.
                    var ownerGone = departures.WhenGone(accepted.Node);
                    if (ownerGone.IsCancellationRequested)
                    {
                        throw Ended(cancellationToken, ownerGone, null);
                    }

                    using (var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ownerGone))
                    {
                        await using var events = accepted.Events.Source.RunAsAsyncEnumerable(_materializer).GetAsyncEnumerator(reading.Token);
                        while (await NextAsync(events, cancellationToken, ownerGone).ConfigureAwait(false))
                        {
                            var ev = events.Current;
                            if (ev is TurnBounced)
                            {
                                bounced = true;
                                break;
                            }

                            if (ev is ChatFailed failure)
                            {
                                throw failure.ToException();
                            }

                            completed |= ev is ChatCompleted;
                            yield return ev is ChatSessionInfo session ? session with { SessionId = ConversationKey.ClientIdOf(session.SessionId) } : ev;
                        }
                    }

                    if (bounced)
                    {
                        // The entity stopped before the turn began (passivated, handed over): its next incarnation runs it.
                        continue;
                    }

                    if (!completed)
                    {
                        // The stream ended without an answer: the reader was cancelled, the actor system stops, or the
                        // conversation's node left.
                        await HearOfDepartureAsync(cancellationToken, ownerGone).ConfigureAwait(false);
                        throw Ended(cancellationToken, ownerGone, null);
                    }

                    yield break;
                default:
                    throw new InvalidOperationException($"Unexpected answer to a turn: {reply.GetType().Name}.");
            }
        }
    }

    /// <summary>
    /// Moves to the next event of a turn's stream. A stream torn down under the reader (the caller left, the actor
    /// system stops) ends in the matching failure, never in an unexplained one.
    /// </summary>
    private async Task<bool> NextAsync(IAsyncEnumerator<ChatEvent> events, CancellationToken cancellationToken, CancellationToken ownerGone)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ChatFailure)
        {
            await HearOfDepartureAsync(cancellationToken, ownerGone).ConfigureAwait(false);
            throw Ended(cancellationToken, ownerGone, ex);
        }
    }

    /// <summary>
    /// A stream from another node that ends early may do so a moment before that node's removal is published here
    /// (its entity stopped as the node was downed): wait a little to tell "the node left" from other endings.
    /// </summary>
    private Task HearOfDepartureAsync(CancellationToken cancellationToken, CancellationToken ownerGone) =>
        !cancellationToken.IsCancellationRequested && ownerGone.CanBeCanceled && !ownerGone.IsCancellationRequested
            ? Task.Delay(DepartureGrace, time, ownerGone).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)
            : Task.CompletedTask;

    private Exception Ended(CancellationToken cancellationToken, CancellationToken ownerGone, Exception? cause)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The turn's reader left.", cause, cancellationToken);
        }

        if (ownerGone.IsCancellationRequested || cause is RemoteStreamRefActorTerminatedException)
        {
            return new ChatFailure(
                ChatFailureKind.NodeLeft,
                "The server node running this conversation left the cluster during the turn, so the turn may or may not have been stored. " +
                "Read the conversation, then send the turn again: another node takes the conversation with its history.",
                isTransient: false,
                TimeSpan.FromSeconds(1),
                cause);
        }

        return CoordinatedShutdown.Get(system).ShutdownReason is not null
            ? ShuttingDown()
            : cause ?? new ChatFailure(ChatFailureKind.Internal, "The conversation ended the turn without an answer; send it again.", isTransient: false);
    }

    /// <summary>What a turn cut by the server's shutdown ends in (the HTTP layer says the same to new requests).</summary>
    public static ChatFailure ShuttingDown() => new(
        ChatFailureKind.ShuttingDown,
        "The server is shutting down; send the request again when it is back.",
        isTransient: false,
        TimeSpan.FromSeconds(5));

    /// <summary>
    /// The conversation of <paramref name="tenant"/> a stateless request continues (and the hash it must still have), or a
    /// new one of that tenant: a resend never reaches another tenant's conversation.
    /// </summary>
    private async Task<(string Id, string? ExpectedHash)> FindResentAsync(ChatTurnRequest request, string tenant, CancellationToken cancellationToken)
    {
        if (request.History.Count > 0)
        {
            var hash = HistoryHash.Of(request.SystemPrompt, request.History);
            var match = await index.ActorRef.Ask<HistoryHashMatch>(new FindByHistoryHash(hash, tenant), AskTimeout, cancellationToken).ConfigureAwait(false);
            if (match.ConversationId is { } id)
            {
                return (id, hash);
            }
        }

        return (ConversationKey.For(tenant, Guid.NewGuid().ToString("D")), null);
    }

    /// <summary>
    /// Asks the conversation to take the turn, for at most <see cref="AskTimeout"/>. In a cluster the ask is made in
    /// attempts of <see cref="ClusterAttemptTimeout"/>: a request sent to a node that has just died (or is paused) is
    /// lost, and only a new one reaches the conversation once its shard has moved. Each attempt has its own deadline,
    /// past which the entity drops it, so an attempt that arrives late never runs as a second turn.
    /// </summary>
    private async Task<object> AskAsync(Func<DateTimeOffset, IConversationRequest> request, CancellationToken cancellationToken)
    {
        var giveUp = time.GetUtcNow() + AskTimeout;
        while (true)
        {
            var left = giveUp - time.GetUtcNow();
            var attempt = cluster.Value.Clustered && left > ClusterAttemptTimeout ? ClusterAttemptTimeout : left;
            try
            {
                return await region.ActorRef.Ask<object>(request(time.GetUtcNow() + attempt), attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (AskTimeoutException) when (giveUp - time.GetUtcNow() > TimeSpan.FromSeconds(1))
            {
                // Another attempt: the conversation's shard may have moved meanwhile.
            }
            catch (AskTimeoutException ex)
            {
                throw new ChatFailure(
                    ChatFailureKind.JournalUnavailable,
                    "The conversation did not answer in time (its journal may be unavailable, or in a cluster its node may be failing over). Nothing was run; send the turn again later.",
                    isTransient: false,
                    inner: ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Information, "Turn prompt (model {Model}, {HistoryMessages} earlier messages): {Prompt}")]
        public static partial void Prompt(ILogger logger, string model, int historyMessages, string prompt);
    }
}
