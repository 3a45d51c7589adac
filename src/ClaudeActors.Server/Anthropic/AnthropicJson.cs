using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaudeActors.Server.Anthropic;

/// <summary>The JSON settings of the Anthropic surface: compact, text as it is (quotes and non-ASCII unescaped).</summary>
internal static class AnthropicJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
