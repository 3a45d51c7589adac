using ClaudeActors.Sessions;
using ClaudeActors.Supervision;
using ClaudeActors.Workers;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Chat;

/// <summary>
/// Where the HTTP layer sends turns. A turn with a session id goes to that conversation's actor; one without goes to
/// the conversation whose history it resends (<see cref="SessionOptions.AutoSessions"/>), or, with that off, to a
/// worker of the stateless pool (<see cref="CliWorkerClient"/>). Every turn runs under the supervisor.
/// </summary>
internal sealed class ChatService(TurnSupervisor supervisor, CliWorkerClient workers, SessionRegistry sessions, IOptions<SessionOptions> options)
{
    /// <summary>
    /// Runs a turn; <paramref name="buffered"/> callers show nothing before the end (see <see cref="TurnSupervisor"/>).
    /// <paramref name="recordContinuation"/> says the answer will reach the client whole, so a resend of it can
    /// continue the conversation.
    /// </summary>
    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatTurnRequest request, string? sessionId, bool recordContinuation, bool buffered, CancellationToken cancellationToken)
    {
        if (sessionId is not null || options.Value.AutoSessions)
        {
            return sessions.StreamAsync(sessionId, new SessionTurn(request, recordContinuation), buffered, cancellationToken);
        }

        return supervisor.RunAsync((attempt, token) => workers.RunAsync(request, attempt, token), buffered, cancellationToken);
    }
}
