using System.Text.Json;

namespace ClaudeActors.Cli.Protocol;

/// <summary>One line of the CLI's stream-json output that the server acts on.</summary>
internal abstract record CliEvent;

/// <summary><c>system/init</c>: the session the process works in and the model it uses.</summary>
internal sealed record CliInit(string SessionId, string? Model) : CliEvent;

/// <summary>A text delta of the assistant's answer (from <c>--include-partial-messages</c>).</summary>
internal sealed record CliTextDelta(string Text) : CliEvent;

/// <summary>A complete assistant message; <see cref="Text"/> joins its text blocks.</summary>
internal sealed record CliAssistantMessage(string Text, string? Model) : CliEvent;

/// <summary><c>system/api_retry</c>: the CLI is retrying an upstream failure itself.</summary>
internal sealed record CliApiRetry(int Attempt, int? ErrorStatus, long? RetryDelayMs) : CliEvent;

/// <summary>
/// <c>system/model_fallback</c>: the CLI answers with <see cref="FallbackModel"/> instead of <see cref="OriginalModel"/>
/// (<c>--fallback-model</c>; <see cref="Trigger"/> says why, e.g. <c>overloaded</c>). The next turn tries the main model again.
/// </summary>
internal sealed record CliModelFallback(string? OriginalModel, string FallbackModel, string? Trigger) : CliEvent;

/// <summary>The <c>result</c> line that ends a turn.</summary>
internal sealed record CliResult : CliEvent
{
    public required string Subtype { get; init; }
    public required bool IsError { get; init; }
    public string? Result { get; init; }
    public string? SessionId { get; init; }
    public CliUsage Usage { get; init; } = CliUsage.Zero;
    public string? StopReason { get; init; }
    public string? TerminalReason { get; init; }
    public int? ApiErrorStatus { get; init; }
    public string? ApiErrorType { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public double? TotalCostUsd { get; init; }
    public long? DurationMs { get; init; }
}

/// <summary>The answer to a control request the server sent (for instance <c>interrupt</c>).</summary>
internal sealed record CliControlResponse(string RequestId, bool Success, string? Error) : CliEvent;

/// <summary><c>transcript_mirror</c>: transcript entries as the CLI writes them (with <c>--session-mirror</c>).</summary>
internal sealed record CliTranscriptMirror(string? FilePath, IReadOnlyList<JsonElement> Entries) : CliEvent;

/// <summary>
/// <c>conversation_reset</c>: a host <c>/clear</c> ended the conversation; a <see cref="CliInit"/> with the new session id
/// and an empty <see cref="CliResult"/> follow.
/// </summary>
internal sealed record CliConversationReset(string? NewConversationId) : CliEvent;

/// <summary>A control request from the CLI to the host (for instance <c>mcp_message</c>); <see cref="Request"/> is its body.</summary>
internal sealed record CliControlRequest(string RequestId, string Subtype, JsonElement Request) : CliEvent;

/// <summary><c>message_start</c> of one upstream call: the prompt side of its usage.</summary>
internal sealed record CliMessageStart(CliUsage Usage) : CliEvent;

/// <summary><c>message_delta</c> of one upstream call: why it stopped and its output tokens so far.</summary>
internal sealed record CliMessageDelta(string? StopReason, long? OutputTokens) : CliEvent;

/// <summary>A <c>tool_use</c> content block starts: its index in the message, id and (model-visible) name.</summary>
internal sealed record CliToolUseStart(int Index, string Id, string Name) : CliEvent;

/// <summary>A fragment of a tool use's input JSON (<c>input_json_delta</c>).</summary>
internal sealed record CliToolInputDelta(int Index, string PartialJson) : CliEvent;

/// <summary>
/// <c>rate_limit_event</c>: the subscription's rate-limit state the upstream reported (<c>status</c> allowed,
/// allowed_warning or rejected; <c>resetsAt</c> in Unix seconds; the window, <c>five_hour</c>, <c>seven_day</c>...; the
/// share used, 0 to 1). API-key sessions get none.
/// </summary>
internal sealed record CliRateLimit(string Status, long? ResetsAt, string? Window, double? Utilization) : CliEvent;
