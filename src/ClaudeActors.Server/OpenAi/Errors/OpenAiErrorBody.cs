using System.Text.Json.Serialization;

namespace ClaudeActors.Server.OpenAi.Errors;

/// <summary><c>{"error":{"message","type","param","code"}}</c>, the OpenAI error shape.</summary>
public sealed record OpenAiErrorBody([property: JsonPropertyName("error")] OpenAiError Error);

/// <summary>The inner error object.</summary>
public sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
