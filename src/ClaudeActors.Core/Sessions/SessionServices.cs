using ClaudeActors.Hosting;
using ClaudeActors.Journal;
using ClaudeActors.Supervision;
using ClaudeActors.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Sessions;

/// <summary>What every session actor works with; one instance shared by all of them.</summary>
internal sealed class SessionServices(
    IConversationJournal journal,
    CliWorkspace workspace,
    WorkerPool pool,
    TurnSupervisor supervisor,
    IOptions<SessionOptions> sessions,
    IOptions<WorkerPoolOptions> workers,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public IConversationJournal Journal { get; } = journal;

    public CliWorkspace Workspace { get; } = workspace;

    public WorkerPool Pool { get; } = pool;

    public TurnSupervisor Supervisor { get; } = supervisor;

    public SessionOptions Options { get; } = sessions.Value;

    public TimeSpan TurnTimeout { get; } = TimeSpan.FromSeconds(workers.Value.TimeoutSeconds);

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = loggers.CreateLogger<SessionActor>();
}
