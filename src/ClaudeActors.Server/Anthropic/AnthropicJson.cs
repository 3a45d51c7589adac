using System.Text.Json.Nodes;
using ClaudeActors.Server.OpenAi;

namespace ClaudeActors.Server.Anthropic;

/// <summary>Writes the Anthropic surface's JSON: compact, text as it is (the OpenAI surface's settings).</summary>
internal static class AnthropicJson
{
    public static string Write(JsonNode node) => node.ToJsonString(OpenAiJson.Options);
}
