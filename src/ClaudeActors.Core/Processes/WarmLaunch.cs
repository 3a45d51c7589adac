using ClaudeActors.Cli.Process;

namespace ClaudeActors.Processes;

/// <summary>
/// The settings a CLI process is started with and cannot change later, plus its model (which <c>set_model</c> can
/// change for the CLI's aliases). <see cref="Default"/> is what standby processes start with.
/// </summary>
internal sealed record WarmLaunch
{
    /// <summary>No model flag, no effort, no system prompt, the transcript mirrored: how standby processes start.</summary>
    public static WarmLaunch Default { get; } = new();

    /// <summary><c>--model</c>, or null for the default.</summary>
    public string? Model { get; init; }

    /// <summary><c>--effort</c>, or null.</summary>
    public string? Effort { get; init; }

    /// <summary><c>CLAUDE_CODE_MAX_OUTPUT_TOKENS</c>, or null.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// <c>--max-budget-usd</c>, or null. The CLI counts it from the last <c>/clear</c>, so a worker's process (reset after
    /// each request) caps each request; only a process started with the same cap serves a request.
    /// </summary>
    public double? MaxBudgetUsd { get; init; }

    /// <summary>The system prompt given at start (Replace and Append modes), or null.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary><c>--session-mirror</c>: the CLI prints its transcript entries. Default on.</summary>
    public bool Mirror { get; init; } = true;

    /// <summary>Whether a process started with these settings, now on <paramref name="currentModel"/>, can serve <paramref name="wanted"/>.</summary>
    public bool CanServe(string? currentModel, WarmLaunch wanted) =>
        Effort == wanted.Effort
        && MaxOutputTokens == wanted.MaxOutputTokens
        && MaxBudgetUsd == wanted.MaxBudgetUsd
        && SystemPrompt == wanted.SystemPrompt
        && Mirror == wanted.Mirror
        && (string.Equals(currentModel, wanted.Model, StringComparison.Ordinal) || CliModels.CanSwitchTo(wanted.Model));

    /// <summary>The settings with the model left out, as standby processes are kept (they switch models on demand).</summary>
    public bool IsDefaultApartFromModel => this with { Model = null } == Default;
}
