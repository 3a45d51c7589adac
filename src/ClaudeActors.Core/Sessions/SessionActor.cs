using ClaudeActors.Conversations;
using System.Threading.Channels;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Process;
using ClaudeActors.Journal;

namespace ClaudeActors.Sessions;

/// <summary>
/// Owns one conversation. Its mailbox serializes the conversation's turns (in arrival order, each with its own
/// answer); it keeps a warm CLI process (<c>--input-format stream-json</c>) between turns, records every turn and the
/// CLI's transcript in the journal, restores the transcript from the journal when the process or its files are gone,
/// and passivates when told to. Nothing but its own loop touches its state.
/// </summary>
internal sealed partial class SessionActor
{
    private readonly Channel<Message> _mailbox = Channel.CreateBounded<Message>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SessionServices _services;
    private readonly SessionRegistry _registry;
    private ConversationRecord _record;
    private bool _persisted;
    private ClaudeProcess? _process;
    private ProcessKey? _processKey;
    private bool _restoreTranscript;
    private long _lastUsedTicks;
    private int _processStarts;
    private volatile bool _busy;

    internal SessionActor(SessionServices services, SessionRegistry registry, ConversationRecord record, bool persisted)
    {
        _services = services;
        _registry = registry;
        _record = record;
        _persisted = persisted;

        // A conversation loaded from the journal may have no transcript file here (another node, a lost config
        // folder): its first process is started from the journal's copy.
        _restoreTranscript = persisted;
        _lastUsedTicks = services.Time.GetUtcNow().UtcTicks;
        Completion = Task.Run(LoopAsync);
    }

    public string Id => _record.Id;

    /// <summary>The hash a stateless resend of the whole conversation has, or null when it cannot be continued so.</summary>
    public string? HistoryHash => Volatile.Read(ref _record).HistoryHash;

    public ConversationRecord Record => Volatile.Read(ref _record);

    public bool IsBusy => _busy;

    /// <summary>Messages waiting behind the one being handled (turns that wait their turn, for instance).</summary>
    public int Waiting => _mailbox.Reader.Count;

    public bool IsWarm => _process is { HasExited: false };

    public int? ProcessId => _process is { HasExited: false } p ? p.ProcessId : null;

    /// <summary>How many CLI processes this actor started (a warm process serves many turns).</summary>
    public int ProcessStarts => Volatile.Read(ref _processStarts);

    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>Completes when the actor has stopped (evicted or deleted).</summary>
    public Task Completion { get; }

    /// <summary>Posts a message (waiting for room if many turns are queued); false when the actor has stopped.</summary>
    internal async ValueTask<bool> PostAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            await _mailbox.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private async Task LoopAsync()
    {
        await foreach (var message in _mailbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var stop = message switch
                {
                    RunTurn turn => await HandleTurnAsync(turn).ConfigureAwait(false),
                    Passivate passivate => await HandlePassivateAsync(passivate).ConfigureAwait(false),
                    Delete delete => await HandleDeleteAsync(delete).ConfigureAwait(false),
                    _ => false,
                };
                if (stop)
                {
                    break;
                }
            }
            catch (Exception ex)
            {
                Log.MessageFailed(_services.Logger, Id, message.GetType().Name, ex);
            }
        }

        _mailbox.Writer.TryComplete();
        await StopProcessAsync(graceful: false).ConfigureAwait(false);

        // Whatever was still queued is answered, never dropped in silence: a turn that never started goes back to the
        // registry, which hands it to the conversation's next actor.
        while (_mailbox.Reader.TryRead(out var left))
        {
            switch (left)
            {
                case RunTurn turn:
                    turn.Bounced = true;
                    turn.Output.TryComplete();
                    break;
                case Passivate p:
                    p.Done.TrySetResult();
                    break;
                case Delete d:
                    d.Done.TrySetResult(false);
                    break;
            }
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastUsedTicks, _services.Time.GetUtcNow().UtcTicks);

    /// <summary>What a process was started with; a turn that needs other values gets a new process.</summary>
    private sealed record ProcessKey(string? Model, string? Effort, int? MaxOutputTokens);
}
