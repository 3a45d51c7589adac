using System.Text.Json.Serialization;

namespace ClaudeActors.Server.OpenAi.Models;

/// <summary>A model as OpenAI lists it; <c>maps_to</c> says which CLI model an OpenAI name stands for.</summary>
internal sealed record ModelObject(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy,
    [property: JsonPropertyName("maps_to"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MapsTo);

/// <summary>The <c>/v1/models</c> list.</summary>
internal sealed record ModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelObject> Data);
