using ClaudeActors.Chat;

namespace ClaudeActors.Server.OpenAi.Completions;

/// <summary>
/// A valid legacy completion request: one stateless turn per prompt, in the order of the prompts (choice index =
/// position), and how to answer them.
/// </summary>
internal sealed record ParsedCompletionRequest(
    IReadOnlyList<ChatTurnRequest> Turns,
    string RequestedModel,
    bool Stream,
    bool IncludeUsage,
    IReadOnlyList<string> Stop);
