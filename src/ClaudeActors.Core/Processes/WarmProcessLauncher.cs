using ClaudeActors.Cli.Process;
using ClaudeActors.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Processes;

/// <summary>
/// Starts, resets and ends the CLI processes of the worker pool and the standby set, and cleans up after them: each
/// process has its own temp folder, and a conversation it forgets has its transcript removed. Counts every start
/// (<see cref="Starts"/>), which tests read to tell a warm process from a new one.
/// </summary>
internal sealed partial class WarmProcessLauncher(
    CliWorkspace workspace,
    IOptions<ProcessOptions> options,
    TimeProvider time,
    ILogger<WarmProcessLauncher> logger)
{
    private int _starts;

    /// <summary>How many CLI processes were started through this launcher.</summary>
    public int Starts => Volatile.Read(ref _starts);

    public CliWorkspace Workspace => workspace;

    public ProcessOptions Options => options.Value;

    /// <summary>
    /// Starts a process with <paramref name="launch"/> and a fresh session id, and returns at once: the CLI reads its
    /// input once it is up, so a prompt may be sent right away. Throws a <see cref="Chat.ChatFailure"/> when the CLI
    /// cannot be started.
    /// </summary>
    public WarmProcess Start(WarmLaunch launch)
    {
        var sessionId = Guid.NewGuid().ToString();
        var tempOwner = "warm-" + Guid.NewGuid().ToString("N");
        var spec = new CliLaunchSpec
        {
            Model = launch.Model,
            Effort = launch.Effort,
            SystemPrompt = launch.SystemPrompt,
            NewSessionId = sessionId,
            MirrorTranscript = launch.Mirror,
            MaxBudgetUsd = launch.MaxBudgetUsd,
        };
        var process = workspace.Start(spec, tempOwner, launch.MaxOutputTokens, logger);
        Interlocked.Increment(ref _starts);
        return new WarmProcess(process, launch, sessionId, tempOwner);
    }

    /// <summary>
    /// Starts a process and waits until it is ready: its answer to the <c>initialize</c> handshake comes once the CLI is
    /// up, which proves the process works without touching its conversation or its model (a <c>/clear</c> would leave
    /// the CLI's note about that command in the next upstream call). A process that is not
    /// ready within <see cref="ProcessOptions.ReadyTimeoutSeconds"/> (or when <paramref name="cancellationToken"/>
    /// fires) is killed and the call throws.
    /// </summary>
    public async Task<WarmProcess> StartReadyAsync(WarmLaunch launch, CancellationToken cancellationToken)
    {
        var process = Start(launch);
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.ReadyTimeoutSeconds), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            await process.Process.InitializeAsync(linked.Token).ConfigureAwait(false);
            return process;
        }
        catch
        {
            await KillAsync(process, forgetConversation: true).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Resets the process's conversation with <c>/clear</c> and empties the process's temp folder; with
    /// <paramref name="forgetConversation"/> the transcript file of the conversation it held is removed too (a
    /// stateless request's; a conversation keeps its own). Throws when the reset fails or takes longer than
    /// <see cref="ProcessOptions.RecycleTimeoutSeconds"/>; the caller then kills the process.
    /// </summary>
    public Task RecycleAsync(WarmProcess process, bool forgetConversation, CancellationToken cancellationToken) =>
        ResetAsync(process, forgetConversation, TimeSpan.FromSeconds(options.Value.RecycleTimeoutSeconds), cancellationToken);

    /// <summary>Starts a process for one turn only (a stateless turn with history); the caller disposes it.</summary>
    public ClaudeProcess StartOneShot(CliLaunchSpec spec, string tempOwner, int? maxOutputTokens)
    {
        var process = workspace.Start(spec, tempOwner, maxOutputTokens, logger, "one-shot");
        Interlocked.Increment(ref _starts);
        return process;
    }

    /// <summary>
    /// Kills the process tree at once and removes its temp folder; with <paramref name="forgetConversation"/> also the
    /// transcript of the conversation it holds.
    /// </summary>
    public async ValueTask KillAsync(WarmProcess process, bool forgetConversation)
    {
        await process.Process.DisposeAsync().ConfigureAwait(false);
        workspace.DeleteTempDirectory(process.TempOwner);
        if (forgetConversation)
        {
            workspace.DeleteTranscript(process.CliSessionId);
        }
    }

    /// <summary>Ends the process gracefully (stdin closed, then killed after the grace time) and cleans up like <see cref="KillAsync"/>.</summary>
    public async Task ShutdownAsync(WarmProcess process, bool forgetConversation)
    {
        await process.Process.ShutdownAsync(TimeSpan.FromSeconds(workspace.Options.ExitGraceSeconds)).ConfigureAwait(false);
        await KillAsync(process, forgetConversation).ConfigureAwait(false);
    }

    private async Task ResetAsync(WarmProcess process, bool forgetConversation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            var previous = await process.ResetAsync(linked.Token).ConfigureAwait(false);
            if (forgetConversation)
            {
                workspace.DeleteTranscript(previous);
            }

            workspace.ClearTempDirectory(process.TempOwner);
            workspace.Metrics?.ProcessRecycled();
            Log.Reset(logger, process.ProcessId, process.CliSessionId);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliProtocolException($"The CLI process {process.ProcessId} did not reset within {timeout.TotalSeconds:0.###} s.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Debug, "CLI process {ProcessId} reset to a new conversation {SessionId}")]
        public static partial void Reset(ILogger logger, int processId, string sessionId);
    }
}
