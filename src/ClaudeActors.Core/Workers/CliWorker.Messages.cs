using ClaudeActors.Chat;
using ClaudeActors.Processes;

namespace ClaudeActors.Workers;

internal sealed partial class CliWorker
{
    /// <summary>
    /// Run one attempt of a stateless turn. Answered at once with an <c>ISourceRef&lt;ChatEvent&gt;</c> that carries the
    /// attempt's events (a failure as a <see cref="ChatFailed"/>, then the end); cancelling that stream ends the attempt
    /// and kills its process. A request that reaches the worker after <see cref="Deadline"/> is dropped unanswered: its
    /// asker has given up already. <see cref="RequestId"/> is the HTTP request's id, for the attempt's log lines.
    /// </summary>
    internal sealed record RunStatelessAttempt(ChatTurnRequest Request, DateTimeOffset Deadline, string? RequestId = null);

    /// <summary>The attempt is over: the process to keep warm (reset already), or the settings of one to start in place of a killed one.</summary>
    internal sealed record AttemptEnded(WarmProcess? Kept, WarmLaunch? Replace);

    private sealed record ReplacementReady(WarmProcess Process);

    private sealed record ReplacementFailed(Exception Error);
}
