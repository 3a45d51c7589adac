using System.Text.Json.Nodes;
using ClaudeActors.Bench.Chat;

namespace ClaudeActors.Bench.Conversations;

/// <summary>
/// A conversation through our server, streamed: by id (<c>session_id</c> in the body, only the new message) or as a
/// stateless client that resends the whole history and no id.
/// </summary>
internal sealed class GatewayConversationPath(string name, GatewayChat chat, bool byId, bool hasSession) : IConversationPath
{
    public string Name => name;

    public bool HasSession => hasSession;

    public Task<ChatReply> SendTurnAsync(Conversation conversation, string question, Func<string, bool> isExpected, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["model"] = "default", ["stream"] = true };
        if (byId)
        {
            conversation.SessionId ??= "bench-" + conversation.Key;
            body["session_id"] = conversation.SessionId;
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question });
        }
        else
        {
            body["messages"] = conversation.Messages(question);
        }

        return chat.StreamAsync(body.ToJsonString(), isExpected, cancellationToken);
    }
}
