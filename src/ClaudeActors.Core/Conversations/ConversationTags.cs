namespace ClaudeActors.Conversations;

/// <summary>Journal tags of conversation events.</summary>
internal static class ConversationTags
{
    /// <summary>Events the conversation index (Session API list, stateless resend lookup) is built from.</summary>
    public const string Index = "conversation-index";
}
