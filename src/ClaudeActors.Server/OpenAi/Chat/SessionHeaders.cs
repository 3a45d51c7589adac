using ClaudeActors.Chat;
using ClaudeActors.Server.Sessions;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// The headers that carry a conversation's id back, and say when a request's system prompt was not used. The id is
/// percent-encoded both ways (<see cref="SessionIdEncoding"/>): header values are ASCII, ids are any text.
/// </summary>
internal static class SessionHeaders
{
    public const string SessionId = "X-Session-Id";

    /// <summary>Present (value <c>ignored</c>) when the conversation's system prompt was fixed earlier and the request's differs.</summary>
    public const string SystemPrompt = "X-Session-System-Prompt";

    public static void Write(HttpResponse response, ChatSessionInfo? session)
    {
        if (session is null)
        {
            return;
        }

        response.Headers[SessionId] = SessionIdEncoding.Encode(session.SessionId);
        if (session.SystemPromptIgnored)
        {
            response.Headers[SystemPrompt] = "ignored";
        }

        if (session.Replayed)
        {
            response.Headers[IdempotencyKeys.ReplayedHeader] = "true";
        }
    }
}
