namespace ClaudeActors.Conversations;

/// <summary>
/// Conversation ids: any string of up to <see cref="MaxLength"/> characters without control characters, except
/// <c>.</c> and <c>..</c>. The CLI knows a conversation by another id, a random UUID chosen when the conversation is
/// created and kept in its record: it is never derived from the client's id, so no id a client sends can name another
/// conversation's CLI session or transcript file.
/// </summary>
internal static class ConversationIds
{
    public const int MaxLength = 256;

    /// <summary>Null when the id is acceptable, else why not.</summary>
    public static string? Validate(string id)
    {
        if (id.Length == 0)
        {
            return "A session id must not be empty.";
        }

        if (id.Length > MaxLength)
        {
            return $"A session id may have at most {MaxLength} characters.";
        }

        if (id is "." or "..")
        {
            // HTTP removes such a segment from a path (even as %2E), so the Session API could never reach it.
            return "A session id must not be '.' or '..'.";
        }

        return id.Any(char.IsControl) ? "A session id must not contain control characters." : null;
    }

    /// <summary>A new conversation's CLI session id: a random (version 4) UUID, unrelated to its conversation id.</summary>
    public static string NewCliSessionId() => Guid.NewGuid().ToString("D");
}
