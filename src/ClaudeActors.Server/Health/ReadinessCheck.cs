using System.Text.Json.Serialization;
using ClaudeActors.Hosting;
using ClaudeActors.Journal;

namespace ClaudeActors.Server.Health;

/// <summary>
/// What besides the CLI a turn needs: the server's folders (made again when they were removed) and a journal that
/// takes writes. Messages name no path; the log does.
/// </summary>
internal sealed class ReadinessCheck(CliWorkspace workspace, IConversationJournal journal, JournalHealth health)
{
    /// <summary>How long readiness waits for the journal's probe write.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The folders, and the journal as its last calls found it (no probe: for liveness).</summary>
    public (ComponentStatus Workspace, ComponentStatus Journal) Current() => (Folders(), Journal());

    /// <summary>The folders, and the journal as a probe write finds it now (for readiness: a failed journal recovers here).</summary>
    public async Task<(ComponentStatus Workspace, ComponentStatus Journal)> CheckAsync(CancellationToken cancellationToken)
    {
        var folders = Folders();
        try
        {
            await journal.ProbeAsync(cancellationToken).WaitAsync(ProbeTimeout, cancellationToken);
        }
        catch (JournalUnavailableException)
        {
            // JournalHealth has the cause.
        }
        catch (TimeoutException)
        {
            health.OnFailed($"the journal did not take a write within {ProbeTimeout.TotalSeconds:0} s");
        }

        return (folders, Journal());
    }

    private ComponentStatus Folders() => workspace.Check() is { } problem ? new ComponentStatus(false, problem, null) : ComponentStatus.Working;

    private ComponentStatus Journal() =>
        health.Fault is { } fault ? new ComponentStatus(false, fault.Reason, fault.Since.ToUnixTimeSeconds()) : ComponentStatus.Working;
}

/// <summary>One thing a turn needs: whether it works, and if not, why (no paths) and since when (Unix seconds, when known).</summary>
internal sealed record ComponentStatus(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("failing_since")] long? FailingSince)
{
    public static readonly ComponentStatus Working = new(true, null, null);
}
