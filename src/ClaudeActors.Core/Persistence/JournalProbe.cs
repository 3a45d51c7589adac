using Akka.Actor;

namespace ClaudeActors.Persistence;

/// <summary>What the readiness check calls: the journal's status after a heartbeat write, or after the last one.</summary>
internal static class JournalProbe
{
    /// <summary>
    /// Stores a heartbeat through <paramref name="heartbeat"/> (the <see cref="JournalHeartbeat"/> actor) and returns
    /// the journal's status; a journal that does not answer within <paramref name="timeout"/> is failing.
    /// </summary>
    public static async Task<JournalStatus> ProbeAsync(IActorRef heartbeat, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        try
        {
            return await heartbeat.Ask<JournalStatus>(ProbeJournal.Instance, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            var last = await CurrentAsync(heartbeat, timeout, cancellationToken).ConfigureAwait(false);
            return new JournalStatus(false, $"the journal did not take a write within {timeout.TotalSeconds:0} s", last.FailingSince);
        }
    }

    /// <summary>The status the last heartbeat write found, without writing (for liveness).</summary>
    public static async Task<JournalStatus> CurrentAsync(IActorRef heartbeat, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        try
        {
            return await heartbeat.Ask<JournalStatus>(GetJournalStatus.Instance, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return new JournalStatus(false, "the journal's heartbeat did not answer", null);
        }
    }
}
