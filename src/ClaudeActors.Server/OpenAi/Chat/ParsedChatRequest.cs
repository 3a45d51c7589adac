using ClaudeActors.Chat;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>A valid chat completion request: the turn to run and how to answer it.</summary>
internal sealed record ParsedChatRequest(
    ChatTurnRequest Turn,
    string RequestedModel,
    bool Stream,
    bool IncludeUsage,
    IReadOnlyList<string> Stop,
    string? SessionId);
