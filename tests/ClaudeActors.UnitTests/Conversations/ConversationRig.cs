using Akka.Actor;
using Akka.Streams;
using ClaudeActors.Cli;
using ClaudeActors.Conversations;
using ClaudeActors.Hosting;
using ClaudeActors.Sessions;
using ClaudeActors.Supervision;
using ClaudeActors.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// What a conversation entity works with, built from real options objects: a <see cref="CliWorkspace"/> on a temp
/// data directory (and a temp <c>CLAUDE_CONFIG_DIR</c>) whose CLI is the <see cref="EchoCli"/>, admission, a supervisor
/// that does not retry, and a <see cref="ManualClock"/>.
/// </summary>
internal sealed class ConversationRig : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("claude-actors-conversation-").FullName;
    private readonly WorkerPool _admission;

    public ConversationRig(ActorSystem system, IActorRef warmCap, ILoggerFactory? loggers = null)
    {
        loggers ??= NullLoggerFactory.Instance;
        var cli = new CliOptions
        {
            BinaryPath = Cli.Path,

            // A graceful stop waits for the fake's exit as long as a test holds it (see EchoCli.HoldExit).
            ExitGraceSeconds = 120,
            Environment = { ["CLAUDE_CONFIG_DIR"] = Path.Combine(_root, "config") },
        };
        var service = new ClaudeActorsOptions { DataDirectory = Path.Combine(_root, "data") };
        Workspace = new CliWorkspace(Options.Create(cli), Options.Create(service), loggers.CreateLogger<CliWorkspace>());
        var workers = Options.Create(new WorkerPoolOptions());
        _admission = new WorkerPool(workers, Clock);
        var supervisor = new TurnSupervisor(Options.Create(new RetryOptions { MaxRetries = 0 }), Clock, loggers.CreateLogger<TurnSupervisor>());
        Services = new ConversationServices(Workspace, _admission, supervisor, Options.Create(new SessionOptions()), workers, Clock, loggers);
        Services.Attach(system.Materializer(namePrefix: "turns"), warmCap);
    }

    public EchoCli Cli { get; } = new();

    public ManualClock Clock { get; } = new();

    public CliWorkspace Workspace { get; }

    public ConversationServices Services { get; }

    public void Dispose()
    {
        Cli.Dispose();
        _admission.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process that is still being killed may hold a file; the temp folder is left then.
        }
    }
}
