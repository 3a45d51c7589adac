using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Chat;

/// <summary>
/// One turn to run: the new user input (<see cref="Prompt"/>), the conversation before it and the settings it runs
/// with. The HTTP layer builds it from a client's request; the actors only see this.
/// </summary>
internal sealed record ChatTurnRequest
{
    /// <summary>The CLI model (<c>--model</c>), or null for the account default.</summary>
    public string? Model { get; init; }

    /// <summary><c>--effort</c>, or null.</summary>
    public string? Effort { get; init; }

    /// <summary>The client's system prompt (system and developer messages joined), or null.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>The messages before the new input, oldest first.</summary>
    public IReadOnlyList<CliMessage> History { get; init; } = [];

    /// <summary>The new user input.</summary>
    public required IReadOnlyList<CliContentBlock> Prompt { get; init; }

    /// <summary>Upper bound of output tokens for this turn (<c>CLAUDE_CODE_MAX_OUTPUT_TOKENS</c>), or null.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// The JSON Schema the answer must satisfy (compact JSON text, from <c>response_format</c>), or null for free text.
    /// The CLI takes it as <c>--json-schema</c> at launch only, so such a turn runs on a process started for it.
    /// </summary>
    public string? JsonSchema { get; init; }
}
