using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaudeActors.Cli.Transcripts;

/// <summary>
/// Rewrites the transcript entries of one structured-output turn (<c>--json-schema</c>) so that the turn reads as the
/// client saw it: the user's prompt, then one assistant message whose text is the JSON answer. The CLI records the turn
/// as a call of its <c>StructuredOutput</c> tool and the tool's result (and, when the model missed, its reminders and
/// the failed attempts). A later turn runs on a process without that tool, and a request whose history holds a
/// <c>tool_use</c> of a tool it does not declare is one the upstream may refuse; the conversation's history must also
/// match what a stateless client resends. Entries that are dropped are taken out of the <c>parentUuid</c> chain (their
/// children point to their parent), and so is a <c>leafUuid</c> that named one.
/// </summary>
internal static class StructuredTranscript
{
    /// <summary>The tool through which the CLI has the model return structured output.</summary>
    public const string ToolName = "StructuredOutput";

    // A transcript is read by the CLI, not put in HTML: no need to escape quotes and non-ASCII text.
    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The turn's entries rewritten around <paramref name="json"/>, the answer the CLI validated; the entries as they
    /// are when no assistant entry calls <see cref="ToolName"/>.
    /// </summary>
    public static List<string> Flatten(IReadOnlyList<string> entries, string json)
    {
        var nodes = entries.Select(Parse).ToList();
        var prompt = nodes.FindIndex(n => TypeOf(n) == "user");
        var answer = nodes.FindLastIndex(n => TypeOf(n) == "assistant" && CallsStructuredOutput(n!));
        if (answer < 0)
        {
            return [.. entries];
        }

        var dropped = new Dictionary<string, string?>(StringComparer.Ordinal);
        var output = new List<string>(entries.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is not { } node)
            {
                output.Add(entries[i]);
                continue;
            }

            Relink(node, "parentUuid", dropped);
            Relink(node, "leafUuid", dropped);
            var type = TypeOf(node);
            var drop = (type == "user" && i != prompt)
                || (type == "assistant" && i != answer)
                || (type == "attachment" && node["attachment"] is JsonObject attachment && Text(attachment["type"]) == "structured_output");
            if (drop)
            {
                if (Text(node["uuid"]) is { } uuid)
                {
                    dropped[uuid] = Text(node["parentUuid"]);
                }

                continue;
            }

            if (i == answer && node["message"] is JsonObject message)
            {
                message["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = json });
            }

            output.Add(node.ToJsonString(WriteOptions));
        }

        return output;
    }

    private static JsonObject? Parse(string entry)
    {
        try
        {
            return JsonNode.Parse(entry) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? TypeOf(JsonObject? node) => node is null ? null : Text(node["type"]);

    private static bool CallsStructuredOutput(JsonObject node) =>
        node["message"] is JsonObject { } message && message["content"] is JsonArray content
        && content.Any(block => block is JsonObject b && Text(b["type"]) == "tool_use" && Text(b["name"]) == ToolName);

    private static void Relink(JsonObject node, string property, Dictionary<string, string?> dropped)
    {
        if (Text(node[property]) is { } target && dropped.TryGetValue(target, out var parent))
        {
            node[property] = parent;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
