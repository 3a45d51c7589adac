using ClaudeActors.Cli.Process;

namespace ClaudeActors.Processes;

/// <summary>
/// A running stream-json CLI process kept between conversations: the process, what it was started with, the model it
/// is on now and its current CLI session id (new after each reset). One owner at a time uses it (a worker, a
/// conversation or <see cref="StandbyProcesses"/>); it is handed over by message, never shared.
/// </summary>
internal sealed class WarmProcess
{
    internal WarmProcess(ClaudeProcess process, WarmLaunch launch, string cliSessionId, string tempOwner)
    {
        Process = process;
        Launch = launch;
        Model = launch.Model;
        CliSessionId = cliSessionId;
        TempOwner = tempOwner;
    }

    public ClaudeProcess Process { get; }

    /// <summary>What the process was started with.</summary>
    public WarmLaunch Launch { get; }

    /// <summary>The model the process is on now (<see cref="WarmLaunch.Model"/> until a <c>set_model</c>).</summary>
    public string? Model { get; private set; }

    /// <summary>The CLI session id of the conversation the process holds now.</summary>
    public string CliSessionId { get; private set; }

    /// <summary>Names the process's own temp folder (<see cref="Hosting.CliWorkspace.TempDirectory"/>).</summary>
    public string TempOwner { get; }

    public int ProcessId => Process.ProcessId;

    public bool HasExited => Process.HasExited;

    /// <summary>Whether this process can serve a conversation started with <paramref name="wanted"/> (switching its model if need be).</summary>
    public bool Fits(WarmLaunch wanted) => !HasExited && Launch.CanServe(Model, wanted);

    /// <summary>Switches the model when it differs (see <see cref="ClaudeProcess.SetModelAsync"/>).</summary>
    public async Task SetModelAsync(string? model, CancellationToken cancellationToken)
    {
        if (string.Equals(Model, model, StringComparison.Ordinal))
        {
            return;
        }

        await Process.SetModelAsync(model, cancellationToken).ConfigureAwait(false);
        Model = model;
    }

    /// <summary>Resets the conversation (see <see cref="ClaudeProcess.RecycleAsync"/>); returns the session id it held before.</summary>
    public async Task<string> ResetAsync(CancellationToken cancellationToken)
    {
        var previous = CliSessionId;
        CliSessionId = await Process.RecycleAsync(cancellationToken).ConfigureAwait(false);
        return previous;
    }

    public override string ToString() => $"CLI process {ProcessId} (session {CliSessionId})";
}
