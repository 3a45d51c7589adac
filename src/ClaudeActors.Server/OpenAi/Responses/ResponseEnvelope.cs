using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// What a stored response keeps of its request, with its turn: when it was made, the model the client named, the
/// settings a Response object echoes and the input items (with their ids). The turn itself holds the answer.
/// </summary>
internal sealed record ResponseEnvelope(long CreatedAt, string Model, JsonObject Settings, JsonArray Input)
{
    public string ToJson() => new JsonObject
    {
        ["created_at"] = CreatedAt,
        ["model"] = Model,
        ["settings"] = Settings.DeepClone(),
        ["input"] = Input.DeepClone(),
    }.ToJsonString(OpenAiJson.Options);

    public static ResponseEnvelope Parse(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("A response envelope must be an object.");
        return new ResponseEnvelope(
            root["created_at"]!.GetValue<long>(),
            root["model"]!.GetValue<string>(),
            root["settings"]!.AsObject(),
            root["input"]!.AsArray());
    }

    /// <summary>A setting to echo, or null (JSON null) when the request had none.</summary>
    public JsonNode? Setting(string name) => Settings[name]?.DeepClone();
}
