using ClaudeActors.Supervision;
using ClaudeActors.Workers;

namespace ClaudeActors.Chat;

/// <summary>Where the HTTP layer sends turns: each runs under the supervisor on a worker from the pool.</summary>
public sealed class ChatService(TurnSupervisor supervisor, OneShotWorker worker)
{
    /// <summary>Runs a turn; <paramref name="buffered"/> callers show nothing before the end (see <see cref="TurnSupervisor"/>).</summary>
    public IAsyncEnumerable<ChatEvent> StreamAsync(ChatTurnRequest request, bool buffered, CancellationToken cancellationToken) =>
        supervisor.RunAsync((attempt, token) => worker.RunAsync(request, attempt, token), buffered, cancellationToken);
}
