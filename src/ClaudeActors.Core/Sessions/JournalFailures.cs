using ClaudeActors.Chat;
using ClaudeActors.Persistence;

namespace ClaudeActors.Sessions;

/// <summary>
/// What a client is told when the journal fails a turn: a <see cref="ChatFailureKind.JournalUnavailable"/> failure,
/// never retried (the journal is unlikely to heal between two attempts, and each attempt costs an upstream call).
/// </summary>
internal static class JournalFailures
{
    /// <summary>The turn ran, but recording it failed: the conversation is as it was before the turn.</summary>
    public static ChatFailure NotStored(Exception cause) => new(
        ChatFailureKind.JournalUnavailable,
        $"The turn was not stored: {Cause(cause)}. The conversation is as it was before this turn; send it again later.",
        isTransient: false,
        inner: cause);

    /// <summary>The turn could not start: the journal failed to create or read the conversation.</summary>
    public static ChatFailure NotRun(Exception cause) => new(
        ChatFailureKind.JournalUnavailable,
        $"The turn was not run: {Cause(cause)}. Nothing was stored; send it again later.",
        isTransient: false,
        inner: cause);

    /// <summary>Whether a failure of a journal call belongs here (the journal failed, or the conversation was deleted under the turn).</summary>
    public static bool IsJournalFailure(Exception exception) => exception is JournalUnavailableException or KeyNotFoundException;

    private static string Cause(Exception cause) => cause switch
    {
        JournalUnavailableException journal => $"the conversation journal is unavailable ({journal.Reason})",
        KeyNotFoundException => "the conversation was deleted meanwhile",
        _ => "the conversation journal failed",
    };
}
