namespace ClaudeActors.Cli;

/// <summary>How a client's system prompt reaches the model.</summary>
public enum SystemPromptMode
{
    /// <summary>
    /// At the head of the conversation, as a marked text block in the first user message. The CLI keeps its own
    /// system prompt, so a subscription's calls stay first-party usage. The default.
    /// </summary>
    Conversation,

    /// <summary>With <c>--system-prompt</c>: replaces the CLI's agent prompt.</summary>
    Replace,

    /// <summary>With <c>--append-system-prompt</c>: added after the CLI's agent prompt.</summary>
    Append,
}
