using System.Text.Json.Serialization;
using ClaudeActors.Hosting;
using Akka.Actor;
using Akka.Hosting;
using ClaudeActors.Persistence;
using ClaudeActors.Projections;

namespace ClaudeActors.Server.Health;

/// <summary>
/// What besides the CLI a turn needs: the server's folders (made again when they were removed), a journal that takes
/// writes (the heartbeat actor writes one), and a conversation index that has caught up with the journal. Messages
/// name no path; the log does.
/// </summary>
internal sealed class ReadinessCheck(CliWorkspace workspace, IRequiredActor<JournalHeartbeat> heartbeat, IRequiredActor<ConversationIndex> index)
{
    /// <summary>How long readiness waits for the journal's probe write.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The folders, and the journal as its last write found it (no probe: for liveness).</summary>
    public async Task<(ComponentStatus Workspace, ComponentStatus Journal)> CurrentAsync(CancellationToken cancellationToken) =>
        (Folders(), Journal(await JournalProbe.CurrentAsync(heartbeat.ActorRef, ProbeTimeout, cancellationToken)));

    /// <summary>
    /// The journal as a probe write finds it now, and whether the index has caught up with it (for readiness: a failed
    /// journal recovers here).
    /// </summary>
    public async Task<ComponentStatus> JournalAsync(CancellationToken cancellationToken)
    {
        var journal = Journal(await JournalProbe.ProbeAsync(heartbeat.ActorRef, ProbeTimeout, cancellationToken));
        if (journal.Ok && !await IndexCaughtUpAsync(cancellationToken))
        {
            journal = new ComponentStatus(false, "the conversation index is still reading the journal", null);
        }

        return journal;
    }

    private async Task<bool> IndexCaughtUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await index.ActorRef.Ask<IndexStatus>(GetIndexStatus.Instance, ProbeTimeout, cancellationToken)).CaughtUp;
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }

    /// <summary>The server's folders (made again when they were removed).</summary>
    public ComponentStatus Folders() => workspace.Check() is { } problem ? new ComponentStatus(false, problem, null) : ComponentStatus.Working;

    private static ComponentStatus Journal(JournalStatus status) =>
        status.Ok ? ComponentStatus.Working : new ComponentStatus(false, status.Reason, status.FailingSince?.ToUnixTimeSeconds());
}

/// <summary>One thing a turn needs: whether it works, and if not, why (no paths) and since when (Unix seconds, when known).</summary>
internal sealed record ComponentStatus(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("failing_since")] long? FailingSince)
{
    public static readonly ComponentStatus Working = new(true, null, null);
}
