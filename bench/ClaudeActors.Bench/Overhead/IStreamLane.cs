using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>
/// One conversation of an <see cref="IStreamPath"/>: its turns run one after the other. A turn is what the HTTP side
/// reads: from the request to the conversation until its stream of events ends.
/// </summary>
internal interface IStreamLane : IAsyncDisposable
{
    /// <summary>Asks the conversation for a turn and yields the turn's events as the reader gets them.</summary>
    IAsyncEnumerable<ChatEvent> TurnAsync(CancellationToken cancellationToken);
}
