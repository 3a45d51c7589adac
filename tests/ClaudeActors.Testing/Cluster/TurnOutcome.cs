namespace ClaudeActors.Testing.Cluster;

/// <summary>
/// How one turn of a conversation ended for a <see cref="ResilientChatClient"/>: the answer, how many requests it took,
/// what went wrong on the way, and whether the answer came from the stream or had to be read from the recorded
/// conversation because the stream was lost after the turn had been stored.
/// </summary>
public sealed record TurnOutcome(
    string SessionId,
    int Turn,
    string Text,
    string Answer,
    int Requests,
    IReadOnlyList<string> Failures,
    bool FoundRecorded,
    TimeSpan Latency,
    DateTimeOffset Finished);
