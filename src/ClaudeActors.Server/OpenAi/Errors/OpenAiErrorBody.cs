using System.Text.Json.Serialization;

namespace ClaudeActors.Server.OpenAi.Errors;

/// <summary><c>{"error":{"message","type","param","code"}}</c>, the OpenAI error shape.</summary>
internal sealed record OpenAiErrorBody([property: JsonPropertyName("error")] OpenAiError Error);

/// <summary>The inner error object.</summary>
internal sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
