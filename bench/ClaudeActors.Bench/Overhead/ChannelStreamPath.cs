using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>
/// The previous release's path: the conversation was a loop over a bounded mailbox channel; the caller made a bounded
/// channel for the turn's events (capacity 64, one reader, one writer), posted the turn with the channel's writer, and
/// read the channel while the loop wrote to it (<c>SessionRegistry.StreamAsync</c> and <c>SessionActor</c> then).
/// </summary>
internal sealed class ChannelStreamPath : IStreamPath
{
    public string Name => "Channel (previous release)";

    public IStreamLane OpenLane(IReadOnlyList<ChatEvent> deltas) => new ChannelStreamLane(deltas);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
