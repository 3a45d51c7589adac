using Microsoft.Extensions.Logging;

namespace ClaudeActors.Conversations;

internal sealed partial class ConversationActor
{
    private static partial class Say
    {
        [LoggerMessage(302, LogLevel.Debug, "Conversation {ConversationId} passivated")]
        public static partial void Passivated(ILogger logger, string conversationId);

        [LoggerMessage(308, LogLevel.Debug, "Conversation {ConversationId}: a {Message} arrived after its caller's deadline and was dropped")]
        public static partial void Expired(ILogger logger, string conversationId, string message);

        [LoggerMessage(309, LogLevel.Warning, "Conversation {ConversationId}: persisting {Event} failed: {Reason}")]
        public static partial void PersistFailed(ILogger logger, string conversationId, string @event, string reason);
    }
}
