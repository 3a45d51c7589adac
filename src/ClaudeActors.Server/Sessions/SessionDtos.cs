using System.Text.Json.Serialization;

namespace ClaudeActors.Server.Sessions;

/// <summary>A conversation as the Session API shows it.</summary>
internal sealed record SessionObject(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("cli_session_id")] string CliSessionId,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("system_prompt")] string? SystemPrompt,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("last_used")] long LastUsed,
    [property: JsonPropertyName("turns")] int Turns,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("forked_from")] string? ForkedFrom,
    [property: JsonPropertyName("process")] SessionProcess Process,
    [property: JsonPropertyName("history"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SessionTurnObject>? History,
    [property: JsonPropertyName("tenant")] string Tenant);

/// <summary>The conversation's CLI process, when its actor is in memory.</summary>
internal sealed record SessionProcess(
    [property: JsonPropertyName("warm")] bool Warm,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("starts")] int Starts);

/// <summary>One recorded turn.</summary>
internal sealed record SessionTurnObject(
    [property: JsonPropertyName("sequence")] int Sequence,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("request")] System.Text.Json.JsonElement Request,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("stop_reason")] string? StopReason,
    [property: JsonPropertyName("usage")] SessionTurnUsage Usage,
    [property: JsonPropertyName("started")] long Started,
    [property: JsonPropertyName("duration_ms")] long DurationMs);

internal sealed record SessionTurnUsage(
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("cache_read_input_tokens")] long CacheReadInputTokens,
    [property: JsonPropertyName("cache_creation_input_tokens")] long CacheCreationInputTokens);

/// <summary>A page of sessions.</summary>
internal sealed record SessionList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<SessionObject> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("last_id")] string? LastId);

/// <summary>The answer to a delete.</summary>
internal sealed record SessionDeleted(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("deleted")] bool Deleted);

/// <summary>The optional body of a fork: the new conversation's id.</summary>
internal sealed record ForkRequest([property: JsonPropertyName("session_id")] string? SessionId);
