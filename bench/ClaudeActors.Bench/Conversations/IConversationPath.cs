using ClaudeActors.Bench.Chat;

namespace ClaudeActors.Bench.Conversations;

/// <summary>One way a client carries a conversation from turn to turn.</summary>
internal interface IConversationPath
{
    /// <summary>For the report, e.g. <c>(a) by id</c>.</summary>
    string Name { get; }

    /// <summary>Whether the server keeps the conversation, so <c>GET /v1/sessions/{id}</c> shows its process.</summary>
    bool HasSession { get; }

    /// <summary>Sends the next turn of <paramref name="conversation"/> (which holds the turns before it), streamed.</summary>
    Task<ChatReply> SendTurnAsync(Conversation conversation, string question, Func<string, bool> isExpected, CancellationToken cancellationToken);
}
