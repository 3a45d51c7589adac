using System.Text.Json.Serialization;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// One tool call in OpenAI's shape: in a message (<see cref="Index"/> null) or as a streamed fragment, where the first
/// fragment of a call has its id, type and name, and later ones only argument text.
/// </summary>
internal sealed record ToolCallDto(
    [property: JsonPropertyName("index"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Index,
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type,
    [property: JsonPropertyName("function")] ToolCallFunctionDto Function);

/// <summary>The function of a <see cref="ToolCallDto"/>: the client's name and the arguments as JSON text.</summary>
internal sealed record ToolCallFunctionDto(
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonPropertyName("arguments")] string Arguments);
