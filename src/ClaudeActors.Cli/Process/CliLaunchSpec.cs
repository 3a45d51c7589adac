namespace ClaudeActors.Cli.Process;

/// <summary>What one CLI process is started for: model, session and the per-conversation flags.</summary>
internal sealed record CliLaunchSpec
{
    /// <summary><c>--model</c>; null leaves the account default.</summary>
    public string? Model { get; init; }

    /// <summary><c>--effort</c>: low, medium, high, xhigh or max.</summary>
    public string? Effort { get; init; }

    /// <summary>The system prompt for <see cref="SystemPromptMode.Replace"/> or <see cref="SystemPromptMode.Append"/>; written to a file, never to argv.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary><c>--session-id</c>: start a new session with this id.</summary>
    public string? NewSessionId { get; init; }

    /// <summary><c>--resume</c>: continue the session with this id (its transcript must be on disk).</summary>
    public string? ResumeSessionId { get; init; }

    /// <summary><c>--fork-session</c> with <see cref="ResumeSessionId"/>: branch into a new session id.</summary>
    public bool ForkSession { get; init; }

    /// <summary>False adds <c>--no-session-persistence</c>: the CLI writes no transcript.</summary>
    public bool PersistSession { get; init; } = true;

    /// <summary>Adds <c>--session-mirror</c>: the CLI prints its transcript entries as it writes them.</summary>
    public bool MirrorTranscript { get; init; }

    /// <summary>
    /// <c>--json-schema</c>: the JSON Schema (compact JSON text) the turn's answer must satisfy. The CLI gives the model a
    /// <c>StructuredOutput</c> tool with this input schema, validates its input and returns it as the result. The CLI
    /// takes it only at launch and cannot drop it later, so a process started with one serves no turn without it.
    /// </summary>
    public string? JsonSchema { get; init; }

    /// <summary>
    /// The client's functions, served by an in-process MCP server (<see cref="Tools.ClientToolServer"/>); empty for none.
    /// Only these are allowed (<c>--allowedTools</c>); the CLI's built-in tools stay as <see cref="CliOptions.Tools"/> says.
    /// </summary>
    public IReadOnlyList<Tools.ClientTool> ClientTools { get; init; } = [];

    /// <summary>
    /// <c>--max-budget-usd</c>: the most the process may spend until its next <c>/clear</c> (the CLI counts across turns),
    /// or null for no cap.
    /// </summary>
    public double? MaxBudgetUsd { get; init; }

    /// <summary>Environment variables for this process only, on top of the configured ones.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
