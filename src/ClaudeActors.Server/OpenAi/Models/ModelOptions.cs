namespace ClaudeActors.Server.OpenAi.Models;

/// <summary>How request models become CLI models. Bound from <c>ClaudeActors:Models</c>.</summary>
internal sealed class ModelOptions
{
    public const string SectionName = "ClaudeActors:Models";

    /// <summary>
    /// The model used when a client sends a placeholder (default, auto, claude, claude-cli or nothing). Default none:
    /// no <c>--model</c>, the account's default (env <c>CLAUDE_DEFAULT_MODEL</c>).
    /// </summary>
    public string? DefaultModel { get; set; }

    /// <summary>
    /// OpenAI model names and what they become. The defaults below can be changed or extended per key
    /// (<c>ClaudeActors:Models:Map:gpt-4o=opus</c>).
    /// </summary>
    public Dictionary<string, string> Map { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o"] = "sonnet",
        ["gpt-4o-mini"] = "haiku",
        ["gpt-4"] = "opus",
        ["gpt-4-turbo"] = "sonnet",
        ["gpt-3.5-turbo"] = "haiku",
        ["gpt-4.1"] = "sonnet",
        ["gpt-4.1-mini"] = "haiku",
        ["gpt-4.1-nano"] = "haiku",
        ["gpt-5"] = "opus",
        ["gpt-5-mini"] = "sonnet",
        ["gpt-5-nano"] = "haiku",
        ["o1"] = "opus",
        ["o3"] = "opus",
        ["o3-mini"] = "sonnet",
        ["o4-mini"] = "sonnet",
    };

    /// <summary>More model ids to list on <c>/v1/models</c> (for instance pinned ids like <c>claude-sonnet-4-6</c>).</summary>
    public List<string> ExtraModels { get; set; } = [];
}
