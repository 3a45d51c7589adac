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

    /// <summary>
    /// The client's <c>Idempotency-Key</c>, or null: a conversation that already recorded a completed turn with this key
    /// replays it instead of running it again.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Whose usage ledger the turn's tokens and cost go to: the API key's tenant (also when an admin key acts in
    /// another) and the key's name, recorded where the turn completes; null records nothing.
    /// </summary>
    public ClaudeActors.Usage.UsagePayer? Payer { get; init; }

    /// <summary>The client's functions (OpenAI <c>tools</c>/<c>functions</c>) the model may call; empty for none.</summary>
    public IReadOnlyList<ClaudeActors.Cli.Tools.ClientTool> Tools { get; init; } = [];

    /// <summary>
    /// The client's results for the tool calls the conversation waits on (trailing <c>role: "tool"</c> messages). When
    /// given, they continue the model's paused turn instead of starting one; <see cref="Prompt"/> is then empty.
    /// </summary>
    public IReadOnlyList<ClaudeActors.Cli.Tools.ClientToolResult> ToolResults { get; init; } = [];

    /// <summary>The tool calls of the assistant message that <see cref="ToolResults"/> answer (ids), as the client sent them.</summary>
    public IReadOnlyList<string> AnsweredToolCallIds { get; init; } = [];

    /// <summary>
    /// Text sent after the prompt to ask for a tool call (<c>tool_choice</c> <c>"required"</c> or a named function; the
    /// CLI has no such setting), or null. Not part of the conversation's history as the client sees it.
    /// </summary>
    public string? ToolInstruction { get; init; }

    /// <summary>The prompt as sent to the CLI: <see cref="Prompt"/> (or <paramref name="composed"/>) and the tool instruction.</summary>
    public IReadOnlyList<CliContentBlock> WithToolInstruction(IReadOnlyList<CliContentBlock> composed) =>
        ToolInstruction is { } instruction ? [.. composed, new CliTextBlock(instruction)] : composed;

    /// <summary>False (OpenAI <c>parallel_tool_calls: false</c>): at most one tool call per answer.</summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary>Upper bound of output tokens for this turn (<c>CLAUDE_CODE_MAX_OUTPUT_TOKENS</c>), or null.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// The most this turn may spend in USD (<c>--max-budget-usd</c>; the request's <c>max_budget_usd</c>, else
    /// <see cref="Cli.CliOptions.MaxBudgetUsd"/>), or null for no cap. The CLI counts a process's spending across its
    /// turns until a <c>/clear</c>, so a capped conversation turn runs on a process started for it.
    /// </summary>
    public double? MaxBudgetUsd { get; init; }

    /// <summary>
    /// The JSON Schema the answer must satisfy (compact JSON text, from <c>response_format</c>), or null for free text.
    /// The CLI takes it as <c>--json-schema</c> at launch only, so such a turn runs on a process started for it.
    /// </summary>
    public string? JsonSchema { get; init; }

    /// <summary>
    /// For a stored Responses API turn: the response's own part of its id, kept on the turn so the response can be read,
    /// continued and deleted later; null otherwise.
    /// </summary>
    public string? ResponseId { get; init; }

    /// <summary>
    /// For a Responses API turn with <c>previous_response_id</c>: the response (its <see cref="ResponseId"/> part) that
    /// must be the conversation's latest turn when this turn runs, or null.
    /// </summary>
    public string? FollowsResponseId { get; init; }

    /// <summary>What the Responses API keeps of the request with the turn (its settings and input items, as JSON), or null.</summary>
    public string? ResponseEnvelope { get; init; }
}
