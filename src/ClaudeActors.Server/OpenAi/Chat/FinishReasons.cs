namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>Anthropic stop reasons in OpenAI's words.</summary>
internal static class FinishReasons
{
    public static string From(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "refusal" => "content_filter",
        "tool_use" => "tool_calls",
        _ => "stop",
    };
}
