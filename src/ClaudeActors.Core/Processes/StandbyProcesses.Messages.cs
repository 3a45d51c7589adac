namespace ClaudeActors.Processes;

internal sealed partial class StandbyProcesses
{
    /// <summary>
    /// Asks for a ready process that can serve <see cref="Launch"/> (switching its model if need be). Answered with
    /// <see cref="StandbyTaken"/>; the taker owns the process from then on.
    /// </summary>
    internal sealed record TakeStandby(WarmLaunch Launch);

    /// <summary>The process taken, or null when none fits or none is ready: the caller starts its own.</summary>
    internal sealed record StandbyTaken(WarmProcess? Process);

    /// <summary>
    /// Gives a process back: it is shut down (standby keeps fresh processes only) and the set refills.
    /// <see cref="ForgetConversation"/> also removes the transcript of the conversation it held (a conversation that
    /// hands back its process keeps its transcript: leave it false).
    /// </summary>
    internal sealed record ReturnProcess(WarmProcess Process, bool ForgetConversation = false);

    /// <summary>Asks how many processes are ready and starting; answered with <see cref="Status"/>.</summary>
    internal sealed record GetStatus
    {
        public static GetStatus Instance { get; } = new();
    }

    /// <summary>How many processes are ready and starting.</summary>
    internal sealed record Status(int Ready, int Starting);

    private sealed record Started(WarmProcess Process);

    private sealed record StartFailed(Exception Error);

    private sealed record Exited(WarmProcess Process);

    private sealed record Refill
    {
        public static Refill Instance { get; } = new();
    }
}
