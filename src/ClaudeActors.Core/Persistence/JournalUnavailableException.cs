namespace ClaudeActors.Persistence;

/// <summary>
/// The journal could not do what was asked: its database or its files failed. <see cref="Reason"/> says why in words
/// a client may read (no paths, no connection strings); <see cref="Exception.InnerException"/> is the provider's own
/// exception, for the log. A write that throws this wrote nothing.
/// </summary>
internal sealed class JournalUnavailableException(string reason, Exception inner)
    : Exception($"The conversation journal is unavailable ({reason}).", inner)
{
    public string Reason { get; } = reason;
}
