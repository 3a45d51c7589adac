using ClaudeActors.Cli;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Chat;

/// <summary>
/// Puts a turn into the shape the CLI takes: the history for a transcript, the new input for stdin, and the system
/// prompt for the command line's file flag. In <see cref="SystemPromptMode.Conversation"/> mode the system prompt
/// becomes a marked text block at the head of the conversation instead.
/// </summary>
internal static class PromptComposer
{
    public const string SystemOpenTag = "<system_prompt>";
    public const string SystemCloseTag = "</system_prompt>";

    public static ComposedTurn Compose(ChatTurnRequest request, SystemPromptMode mode)
    {
        if (request.SystemPrompt is null || mode != SystemPromptMode.Conversation)
        {
            return new ComposedTurn(request.History, request.Prompt, request.SystemPrompt);
        }

        var block = SystemBlock(request.SystemPrompt);
        if (request.History.Count == 0)
        {
            return new ComposedTurn([], [block, .. request.Prompt], null);
        }

        var history = request.History.ToList();
        history[0] = history[0].Role == CliRole.User
            ? history[0] with { Content = [block, .. history[0].Content] }
            : history[0];
        if (request.History[0].Role != CliRole.User)
        {
            history.Insert(0, new CliMessage(CliRole.User, [block]));
        }

        return new ComposedTurn(history, request.Prompt, null);
    }

    public static CliTextBlock SystemBlock(string systemPrompt) =>
        new($"{SystemOpenTag}\n{systemPrompt}\n{SystemCloseTag}");
}

/// <summary>A turn in the CLI's terms.</summary>
internal sealed record ComposedTurn(IReadOnlyList<CliMessage> History, IReadOnlyList<CliContentBlock> Prompt, string? CliSystemPrompt);
