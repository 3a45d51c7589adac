using ClaudeActors.Conversations;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ClaudeActors.Chat;
using ClaudeActors.Journal;

namespace ClaudeActors.Sessions;

/// <summary>
/// Finds or starts the actor of a conversation: by the client's id, or, for a request without one, by the hash of the
/// history it resends. It keeps the number of warm processes under the cap (least recently used first), passivates
/// conversations idle past the TTL and removes their actors from memory (the journal keeps them).
/// </summary>
internal sealed partial class SessionRegistry(SessionServices services)
{
    private readonly ConcurrentDictionary<string, SessionActor> _actors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _claimed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private int _warm;

    /// <summary>Warm CLI processes right now.</summary>
    public int WarmProcesses => Volatile.Read(ref _warm);

    /// <summary>Conversations with an actor in memory.</summary>
    public int LiveConversations => _actors.Count;

    /// <summary>The live actor of a conversation, if it has one.</summary>
    public SessionActor? Find(string id) => _actors.TryGetValue(id, out var actor) ? actor : null;

    /// <summary>
    /// Runs a turn of the conversation <paramref name="sessionId"/>, or of the conversation whose history the request
    /// resends when it is null. The first event is a <see cref="ChatSessionInfo"/>.
    /// </summary>
    public async IAsyncEnumerable<ChatEvent> StreamAsync(
        string? sessionId,
        SessionTurn turn,
        bool buffered,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (actor, claimed) = await FindActorAsync(sessionId, turn.Request, cancellationToken).ConfigureAwait(false);
        var origin = sessionId is null ? "auto" : "client";

        // The turn's own token: cancelled when the caller stops reading for any reason, so the actor never waits on
        // a reader that is gone (it interrupts the turn instead).
        using var turnCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                var output = Channel.CreateBounded<ChatEvent>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
                var message = new SessionActor.RunTurn(turn, buffered, output.Writer, turnCancellation.Token);
                if (await actor.PostAsync(message, cancellationToken).ConfigureAwait(false))
                {
                    await foreach (var ev in output.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        yield return ev;
                    }

                    if (!message.Bounced)
                    {
                        if (message.Failure is not null)
                        {
                            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(message.Failure);
                        }

                        yield break;
                    }
                }

                // The actor stopped (evicted, or never created in the journal) before it started this turn: its
                // successor takes the turn.
                var stopped = actor;
                actor = await UnlessJournalFailsAsync(() => GetOrCreateAsync(stopped.Id, turn.Request, origin, cancellationToken)).ConfigureAwait(false);
            }
        }
        finally
        {
            await turnCancellation.CancelAsync().ConfigureAwait(false);
            if (claimed)
            {
                Release(actor);
            }
        }
    }

    /// <summary>The actor for a turn (see <see cref="StreamAsync"/>).</summary>
    private Task<(SessionActor Actor, bool Claimed)> FindActorAsync(string? sessionId, ChatTurnRequest request, CancellationToken cancellationToken) =>
        UnlessJournalFailsAsync(async () => sessionId is null
            ? await ClaimByHistoryAsync(request, cancellationToken).ConfigureAwait(false)
            : (await GetOrCreateAsync(sessionId, request, "client", cancellationToken).ConfigureAwait(false), false));

    /// <summary>Finds or loads an actor for a turn; a journal that cannot tell is a failure of the turn.</summary>
    private static async Task<T> UnlessJournalFailsAsync<T>(Func<Task<T>> find)
    {
        try
        {
            return await find().ConfigureAwait(false);
        }
        catch (JournalUnavailableException ex)
        {
            throw JournalFailures.NotRun(ex);
        }
    }

    /// <summary>The conversation's actor, loaded from the journal or new (created in the journal on its first turn).</summary>
    public async Task<SessionActor> GetOrCreateAsync(string id, ChatTurnRequest? request, string origin, CancellationToken cancellationToken)
    {
        if (_actors.TryGetValue(id, out var live))
        {
            return live;
        }

        await _loadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_actors.TryGetValue(id, out live))
            {
                return live;
            }

            var record = await services.Journal.GetAsync(id, cancellationToken).ConfigureAwait(false);
            var persisted = record is not null;
            record ??= NewRecord(id, request, origin);
            var actor = new SessionActor(services, this, record, persisted);
            _actors[id] = actor;
            if (record.HistoryHash is { } hash && !_claimed.ContainsKey(id))
            {
                _byHash[hash] = id;
            }

            return actor;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>Ends the conversation's process and removes it everywhere. False when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var record = await services.Journal.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null && Find(id) is null)
        {
            return false;
        }

        var actor = await GetOrCreateAsync(id, null, "client", cancellationToken).ConfigureAwait(false);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await actor.PostAsync(new SessionActor.Delete(done), cancellationToken).ConfigureAwait(false))
        {
            return await DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return await done.Task.ConfigureAwait(false) || record is not null;
    }

    /// <summary>Passivates a conversation (ends its process); with <paramref name="evict"/> its actor leaves memory too.</summary>
    public async Task PassivateAsync(SessionActor actor, bool evict)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (await actor.PostAsync(new SessionActor.Passivate(evict, done), CancellationToken.None).ConfigureAwait(false))
        {
            await done.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Passivates the conversations idle past the TTL. Called by the sweeper.</summary>
    public async Task SweepAsync()
    {
        var ttl = TimeSpan.FromSeconds(services.Options.TtlSeconds);
        var now = services.Time.GetUtcNow();
        var idle = _actors.Values.Where(a => !a.IsBusy && now - a.LastUsed >= ttl).ToList();
        foreach (var actor in idle)
        {
            await PassivateAsync(actor, evict: true).ConfigureAwait(false);
        }
    }

    /// <summary>Passivates every conversation: on shutdown.</summary>
    public Task StopAllAsync() => Task.WhenAll(_actors.Values.ToList().Select(a => PassivateAsync(a, evict: true)));

    internal void OnProcessStarted(SessionActor actor)
    {
        Interlocked.Increment(ref _warm);
        EnforceWarmCap(actor);
    }

    /// <summary>
    /// A turn ended: its conversation is idle now. When a burst of busy conversations had pushed the warm count past
    /// the cap (busy ones are never passivated), the excess goes now.
    /// </summary>
    internal void OnTurnEnded(SessionActor actor) => EnforceWarmCap(except: null);

    private void EnforceWarmCap(SessionActor? except)
    {
        var excess = WarmProcesses - services.Options.MaxWarmProcesses;
        if (excess <= 0)
        {
            return;
        }

        var coldest = _actors.Values
            .Where(a => a != except && a.IsWarm && !a.IsBusy)
            .OrderBy(a => a.LastUsed)
            .Take(excess)
            .ToList();
        foreach (var victim in coldest)
        {
            Log.CapReached(services.Logger, services.Options.MaxWarmProcesses, victim.Id);
            _ = PassivateAsync(victim, evict: false);
        }
    }

    internal void OnProcessStopped(SessionActor actor) => Interlocked.Decrement(ref _warm);

    /// <summary>A turn changed the conversation's history: the resend index follows.</summary>
    internal void OnHistoryChanged(SessionActor actor, string? before, string? after)
    {
        if (before is not null)
        {
            _byHash.TryRemove(new KeyValuePair<string, string>(before, actor.Id));
        }

        if (after is not null)
        {
            _byHash[after] = actor.Id;
        }
    }

    internal bool TryRemove(SessionActor actor)
    {
        if (!_actors.TryRemove(new KeyValuePair<string, SessionActor>(actor.Id, actor)))
        {
            return false;
        }

        if (actor.HistoryHash is { } hash)
        {
            _byHash.TryRemove(new KeyValuePair<string, string>(hash, actor.Id));
        }

        return true;
    }

    private ConversationRecord NewRecord(string id, ChatTurnRequest? request, string origin)
    {
        var now = services.Time.GetUtcNow();
        return new ConversationRecord
        {
            Id = id,
            CliSessionId = ConversationIds.NewCliSessionId(),
            Model = request?.Model,
            SystemPrompt = request?.SystemPrompt,
            Created = now,
            LastUsed = now,
            HistoryHash = request is null ? null : HistoryHash.Of(request.SystemPrompt, request.History),
            Origin = origin,
        };
    }
}
