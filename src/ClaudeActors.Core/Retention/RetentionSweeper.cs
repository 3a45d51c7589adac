using Akka.Actor;
using ClaudeActors.Conversations;
using ClaudeActors.Projections;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Retention;

/// <summary>
/// Deletes expired conversations (<see cref="Expiry"/>): every <see cref="RetentionOptions.SweepIntervalSeconds"/> it asks
/// the node's <see cref="ConversationIndex"/> for them and sends each a conditional <see cref="DeleteConversation"/>
/// through the shard region, one after another, so the sweep never floods the journal. The entity checks the
/// conditions again when no turn runs, so a conversation used since the index looked stays. One per cluster (a
/// cluster singleton): on another node it starts again from the index there.
/// </summary>
internal sealed partial class RetentionSweeper : ReceiveActor, IWithTimers
{
    /// <summary>How many conversations one sweep deletes at most; the next sweep goes on.</summary>
    public const int BatchSize = 500;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private readonly IActorRef _index;
    private readonly IActorRef _region;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private CancellationTokenSource? _running;

    public RetentionSweeper(IActorRef index, IActorRef region, RetentionOptions options, TimeProvider time, ILogger logger)
    {
        _index = index;
        _region = region;
        _options = options;
        _time = time;
        _logger = logger;
        Receive<Sweep>(_ => Start());
        Receive<SweepDone>(done =>
        {
            _running?.Dispose();
            _running = null;
            if (done.Deleted > 0 || done.Error is not null)
            {
                Log.Swept(_logger, done.Deleted, done.Found, done.Error);
            }

            done.ReplyTo?.Tell(done);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef index, IActorRef region, RetentionOptions options, TimeProvider time, ILogger logger) =>
        Akka.Actor.Props.Create(() => new RetentionSweeper(index, region, options, time, logger));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(nameof(Sweep), Sweep.Instance, TimeSpan.FromSeconds(_options.SweepIntervalSeconds));

    protected override void PostStop() => _running?.Cancel();

    private void Start()
    {
        var replyTo = Sender.Equals(Context.System.DeadLetters) ? null : Sender;
        if (_running is not null)
        {
            // One sweep at a time; the next tick starts another.
            replyTo?.Tell(new SweepDone(0, 0, "a sweep is running", null));
            return;
        }

        _running = new CancellationTokenSource();
        RunAsync(Expiry.At(_time.GetUtcNow(), _options), _running.Token)
            .ContinueWith(
                task => task.IsCompletedSuccessfully ? task.Result with { ReplyTo = replyTo } : new SweepDone(0, 0, task.Exception?.GetBaseException().Message ?? "cancelled", replyTo),
                TaskScheduler.Default)
            .PipeTo(Self);
    }

    /// <summary>Off the mailbox: finds the expired conversations and deletes them one by one.</summary>
    private async Task<SweepDone> RunAsync(Expiry expiry, CancellationToken cancellationToken)
    {
        var found = await _index.Ask<ExpiredConversations>(new FindExpired(expiry, BatchSize), AskTimeout, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        var failed = 0;
        string? firstError = null;
        foreach (var id in found.ConversationIds)
        {
            var delete = new DeleteConversation(id, _time.GetUtcNow() + AskTimeout) { Expiry = expiry };
            try
            {
                var result = await _region.Ask<ConversationDeleteResult>(delete, AskTimeout, cancellationToken).ConfigureAwait(false);
                if (result.Existed)
                {
                    deleted++;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One conversation that does not answer (a stuck node, a journal hiccup) must not hold back the others.
                failed++;
                firstError ??= ex.Message;
            }
        }

        var error = failed == 0 ? null : $"{failed} of {found.ConversationIds.Count} conversations could not be deleted now (first: {firstError}); the next sweep tries again";
        return new SweepDone(found.ConversationIds.Count, deleted, error, null);
    }

    /// <summary>Runs a sweep now (the timer sends it; a test may too, and hears <see cref="SweepDone"/>).</summary>
    internal sealed record Sweep
    {
        public static readonly Sweep Instance = new();
    }

    /// <summary>What a sweep did: conversations found expired, those deleted, and why it stopped early (or null).</summary>
    internal sealed record SweepDone(int Found, int Deleted, string? Error, IActorRef? ReplyTo);

    private static partial class Log
    {
        [LoggerMessage(470, LogLevel.Information, "Retention: deleted {Deleted} of {Found} expired conversations (stopped early: {Error})")]
        public static partial void Swept(ILogger logger, int deleted, int found, string? error);
    }
}
