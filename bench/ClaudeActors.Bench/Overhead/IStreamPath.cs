using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>A way to carry a turn's events from the conversation that produces them to the reader.</summary>
internal interface IStreamPath : IAsyncDisposable
{
    string Name { get; }

    /// <summary>A new conversation whose every turn produces <paramref name="deltas"/>, in order.</summary>
    IStreamLane OpenLane(IReadOnlyList<ChatEvent> deltas);
}
