using ClaudeActors.Cli;
using ClaudeActors.Hosting;
using ClaudeActors.Processes;
using ClaudeActors.Workers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.Workers;

/// <summary>A workspace in a temp folder whose CLI is a <see cref="ProtocolCli"/>, and a launcher on it.</summary>
internal sealed class WorkerRig : IDisposable
{
    public WorkerRig(int standby = 0, double timeoutSeconds = 300)
    {
        Root = Directory.CreateTempSubdirectory("claude-actors-workers-").FullName;
        ConfigDirectory = Path.Combine(Root, "cli-config");
        var cli = new CliOptions { BinaryPath = Cli.BinaryPath, ExitGraceSeconds = 1 };
        cli.Environment["CLAUDE_CONFIG_DIR"] = ConfigDirectory;
        Workspace = new CliWorkspace(
            Options.Create(cli),
            Options.Create(new ClaudeActorsOptions { DataDirectory = Path.Combine(Root, "data") }),
            NullLogger<CliWorkspace>.Instance);
        Launcher = new WarmProcessLauncher(
            Workspace, Options.Create(new ProcessOptions { Standby = standby }), TimeProvider.System, NullLogger<WarmProcessLauncher>.Instance);
        PoolOptions = new WorkerPoolOptions { MaxConcurrency = 2, TimeoutSeconds = timeoutSeconds };
    }

    public ProtocolCli Cli { get; } = new();

    public string Root { get; }

    public string ConfigDirectory { get; }

    public CliWorkspace Workspace { get; }

    public WarmProcessLauncher Launcher { get; }

    public WorkerPoolOptions PoolOptions { get; }

    public WorkerClaims Claims { get; } = new();

    public void Dispose()
    {
        Cli.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
