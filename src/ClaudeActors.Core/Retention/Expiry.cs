using ClaudeActors.Conversations;

namespace ClaudeActors.Retention;

/// <summary>
/// Which conversations retention deletes: those unused since before <see cref="IdleBefore"/> (null: idle ones are kept),
/// and those without any turn (their first failed) unused since before <see cref="FailedStartBefore"/>. The sweep finds
/// them in the index, and the entity checks again before it deletes, so a conversation used meanwhile stays.
/// </summary>
internal sealed record Expiry(DateTimeOffset? IdleBefore, DateTimeOffset FailedStartBefore)
{
    /// <summary>The limits at <paramref name="now"/>.</summary>
    public static Expiry At(DateTimeOffset now, RetentionOptions options) => new(
        options.MaxIdle is { } idle ? now - idle : null,
        now - TimeSpan.FromSeconds(options.FailedStartGraceSeconds));

    public bool Covers(ConversationRecord record) =>
        (IdleBefore is { } idle && record.LastUsed < idle)
        || (record.Turns == 0 && record.PendingToolCalls.Count == 0 && record.LastUsed < FailedStartBefore);
}
