using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Cli;

/// <summary>How the server starts the Claude Code CLI. Bound from <c>ClaudeActors:Cli</c>.</summary>
internal sealed class CliOptions
{
    public const string SectionName = "ClaudeActors:Cli";

    /// <summary>The CLI binary: a name looked up on PATH or a path. Default <c>claude</c> (env <c>CLAUDE_BIN</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string BinaryPath { get; set; } = "claude";

    /// <summary>
    /// The working directory every CLI process starts in. It decides where the CLI keeps its transcripts, so it
    /// stays fixed. Default: <c>workspace</c> under the data directory, an empty folder of the server's own.
    /// </summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Built-in tools the model may use, passed to <c>--tools</c>. Empty (the default) gives the model no tools,
    /// so a remote caller cannot make Claude read files or run commands on the server. Example: <c>Read,Grep</c>.
    /// </summary>
    public string Tools { get; set; } = "";

    /// <summary>
    /// <c>--permission-mode</c> for the tools enabled with <see cref="Tools"/> (default, acceptEdits, bypassPermissions,
    /// dontAsk, plan). Empty leaves the CLI's default, which refuses tools that ask for permission.
    /// </summary>
    [RegularExpression("^(|default|acceptEdits|bypassPermissions|dontAsk|plan)$")]
    public string PermissionMode { get; set; } = "";

    /// <summary>
    /// Which of the CLI's settings files it reads (<c>--setting-sources</c>: a comma-separated list of user, project,
    /// local). Default empty: none, so the CLI runs on its defaults, the machine's managed policy and
    /// <see cref="SettingsFile"/>, and nothing written into a settings file (by a person or by the CLI itself)
    /// changes how the server's CLI processes behave. Set <c>user</c> to let it read <c>$CLAUDE_CONFIG_DIR/settings.json</c>.
    /// </summary>
    [RegularExpression("^((user|project|local)(,(user|project|local))*)?$")]
    public string SettingSources { get; set; } = "";

    /// <summary>A settings file of the operator's, passed to every CLI process with <c>--settings</c>. Default none.</summary>
    public string? SettingsFile { get; set; }

    /// <summary>Where the client's system prompt goes. Default <see cref="SystemPromptMode.Conversation"/>.</summary>
    public SystemPromptMode SystemPromptMode { get; set; } = SystemPromptMode.Conversation;

    /// <summary>
    /// The CLI's own retry count for upstream 429/529/5xx (<c>CLAUDE_CODE_MAX_RETRIES</c>). Default 0: the
    /// server's supervisor owns retries, so the two layers do not multiply.
    /// </summary>
    [Range(0, 15)]
    public int CliMaxRetries { get; set; }

    /// <summary>
    /// A model the CLI answers with when the requested one is overloaded or unavailable (<c>--fallback-model</c>), or
    /// null (the default) for none (env <c>FALLBACK_MODEL</c>). The CLI falls back after three overloaded answers in a
    /// row, so while it is set the CLI retries by itself at least twice (<see cref="EffectiveCliMaxRetries"/>).
    /// </summary>
    public string? FallbackModel { get; set; }

    /// <summary>
    /// The most one request may spend in USD (<c>--max-budget-usd</c>), unless the request sets its own
    /// (<c>max_budget_usd</c>); null (the default) for no cap (env <c>MAX_BUDGET_USD</c>).
    /// </summary>
    [Range(1e-9, 1e9)]
    public double? MaxBudgetUsd { get; set; }

    /// <summary>The CLI's retries that fall back to <see cref="FallbackModel"/>: the CLI switches on its third overloaded answer.</summary>
    public const int RetriesBeforeFallback = 2;

    /// <summary><see cref="CliMaxRetries"/>, raised to <see cref="RetriesBeforeFallback"/> while a fallback model is set.</summary>
    public int EffectiveCliMaxRetries => string.IsNullOrEmpty(FallbackModel) ? CliMaxRetries : Math.Max(CliMaxRetries, RetriesBeforeFallback);

    /// <summary>Extra environment variables for the CLI child, on top of the server's own environment.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Extra arguments appended to every CLI command line (operator use only).</summary>
    public List<string> ExtraArguments { get; set; } = [];

    /// <summary>How long a process may take to exit after its input closed before it is killed. Default 5 s.</summary>
    [Range(0.1, 600)]
    public double ExitGraceSeconds { get; set; } = 5;
}
