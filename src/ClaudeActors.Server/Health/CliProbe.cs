using System.ComponentModel;
using System.Diagnostics;
using ClaudeActors.Hosting;

namespace ClaudeActors.Server.Health;

/// <summary>
/// Finds out at start-up whether the CLI binary runs and which version it is (<c>claude --version</c>). Its status names
/// the binary's file name only (health is public); the log names the path and the cause.
/// </summary>
internal sealed partial class CliProbe(CliWorkspace workspace, ILogger<CliProbe> logger) : IHostedService
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public CliStatus Status { get; private set; } = new(Path.GetFileName(workspace.Options.BinaryPath), false, null, "not probed yet");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => ProbeAsync(CancellationToken.None), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<CliStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        var binary = workspace.Options.BinaryPath;
        var fileName = Path.GetFileName(binary);
        string? detail;
        var info = new ProcessStartInfo(binary, "--version")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in workspace.Options.Environment)
        {
            info.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(info)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Status = process.ExitCode == 0
                ? new CliStatus(fileName, true, output.Trim(), null)
                : new CliStatus(fileName, false, null, $"'--version' exited with code {process.ExitCode}");
            detail = Status.Error;
        }
        catch (Win32Exception ex)
        {
            Status = new CliStatus(fileName, false, null, "it could not be started (not installed, or not executable by the server)");
            detail = ex.Message;
        }
        catch (OperationCanceledException)
        {
            Status = new CliStatus(fileName, false, null, $"'--version' did not answer within {ProbeTimeout.TotalSeconds} s");
            detail = Status.Error;
        }

        if (Status.Found)
        {
            Log.Found(logger, binary, Status.Version ?? "");
        }
        else
        {
            Log.Missing(logger, binary, detail ?? "");
        }

        return Status;
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Information, "Claude CLI '{Binary}' found: {Version}")]
        public static partial void Found(ILogger logger, string binary, string version);

        [LoggerMessage(201, LogLevel.Error, "Claude CLI '{Binary}' cannot be run: {Error}. Install it or set CLAUDE_BIN.")]
        public static partial void Missing(ILogger logger, string binary, string error);
    }
}
