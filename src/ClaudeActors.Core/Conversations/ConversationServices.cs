using Akka.Actor;
using Akka.Streams;
using ClaudeActors.Hosting;
using ClaudeActors.Persistence;
using ClaudeActors.Sessions;
using ClaudeActors.Supervision;
using ClaudeActors.Telemetry;
using ClaudeActors.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Conversations;

/// <summary>What every conversation entity on this node works with; one instance shared by all of them.</summary>
internal sealed class ConversationServices(
    CliWorkspace workspace,
    WorkerPool admission,
    TurnSupervisor supervisor,
    IOptions<SessionOptions> sessions,
    IOptions<WorkerPoolOptions> workers,
    TimeProvider time,
    ILoggerFactory loggers,
    IOptions<JournalOptions>? journal = null,
    ClaudeActorsMetrics? metrics = null,
    Usage.UsageClient? usage = null)
{
    /// <summary>The usage ledgers (null in specs that build the services by hand): every turn the CLI completes is added.</summary>
    public Usage.UsageClient? Usage { get; } = usage;

    /// <summary>The node's instruments (null in specs that build the services by hand).</summary>
    public ClaudeActorsMetrics? Metrics { get; } = metrics;

    /// <summary>The journal's size limit (SQLite, <see cref="JournalOptions.MaxSizeMegabytes"/>): checked before each turn.</summary>
    public JournalCapacity Capacity { get; } = journal is null ? JournalCapacity.Unlimited : JournalCapacity.For(journal.Value, workspace.DataDirectory);

    public CliWorkspace Workspace { get; } = workspace;

    /// <summary>Admission: the bounded concurrency and queue shared by conversation turns and stateless requests.</summary>
    public WorkerPool Admission { get; } = admission;

    /// <summary>The one owner of retries.</summary>
    public TurnSupervisor Supervisor { get; } = supervisor;

    public SessionOptions Options { get; } = sessions.Value;

    public TimeSpan TurnTimeout { get; } = TimeSpan.FromSeconds(workers.Value.TimeoutSeconds);

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = loggers.CreateLogger<ConversationActor>();

    /// <summary>Materializes the turns' streams. The system's, not an entity's: a turn's stream outlives a stopping entity.</summary>
    public IMaterializer Materializer { get; private set; } = null!;

    /// <summary>The node's warm-process cap.</summary>
    public IActorRef WarmCap { get; private set; } = ActorRefs.Nobody;

    /// <summary>The conversations' shard region (a fork reads its source through it).</summary>
    public IActorRef Region { get; private set; } = ActorRefs.Nobody;

    internal void Attach(IMaterializer materializer, IActorRef warmCap)
    {
        Materializer = materializer;
        WarmCap = warmCap;
    }

    /// <summary>The node's standby processes (<see cref="ActorRefs.Nobody"/> when there are none): a new conversation takes one.</summary>
    public IActorRef Standby { get; private set; } = ActorRefs.Nobody;

    internal void AttachRegion(IActorRef region, IActorRef standby)
    {
        Region = region;
        Standby = standby;
    }
}
