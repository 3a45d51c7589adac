using System.Text.Json.Serialization;
using ClaudeActors.Server.OpenAi.Chat;

namespace ClaudeActors.Server.OpenAi.Completions;

/// <summary>
/// A legacy completion (<c>object: text_completion</c>): the whole answer, or one streamed chunk of it (the same shape,
/// with <see cref="Usage"/> left out except in the usage chunk).
/// </summary>
internal sealed record TextCompletion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("system_fingerprint")] string? SystemFingerprint,
    [property: JsonPropertyName("choices")] IReadOnlyList<TextCompletionChoice> Choices,
    [property: JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatUsage? Usage);

/// <summary>The answer to one prompt (or a piece of it); <c>logprobs</c> is always null.</summary>
internal sealed record TextCompletionChoice(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("logprobs")] object? Logprobs,
    [property: JsonPropertyName("finish_reason")] string? FinishReason);
