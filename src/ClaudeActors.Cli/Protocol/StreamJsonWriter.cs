using System.Text;
using System.Text.Json;

namespace ClaudeActors.Cli.Protocol;

/// <summary>Writes the lines the CLI reads on <c>--input-format stream-json</c>.</summary>
internal static class StreamJsonWriter
{
    /// <summary>
    /// A user message line: <c>{"type":"user","message":{"role":"user","content":[...]},...}</c>. The content is
    /// sent as text for the model, never as CLI input syntax (see <see cref="LiteralInput"/>).
    /// </summary>
    public static string UserMessage(IReadOnlyList<CliContentBlock> content) => UserLine(LiteralInput.Protect(content));

    /// <summary>
    /// The host's own <c>/clear</c> line, which resets the conversation of a running process. It takes no argument, so no
    /// client text can ever be written through it; client text goes through <see cref="UserMessage"/> only.
    /// </summary>
    public static string ClearCommand() => UserLine([new CliTextBlock("/clear")]);

    private static string UserLine(IReadOnlyList<CliContentBlock> content) =>
        Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "user");
            writer.WritePropertyName("message");
            writer.WriteStartObject();
            writer.WriteString("role", "user");
            writer.WritePropertyName("content");
            WriteContent(writer, content);
            writer.WriteEndObject();
            writer.WriteNull("parent_tool_use_id");
            writer.WriteEndObject();
        });

    /// <summary>A control request, for instance <c>interrupt</c>.</summary>
    public static string ControlRequest(string requestId, string subtype) => ControlRequest(requestId, subtype, static _ => { });

    /// <summary>
    /// A <c>set_model</c> control request: switches the model of a running process; a null model goes back to the
    /// default (the one the process would use without <c>--model</c>).
    /// </summary>
    public static string SetModelRequest(string requestId, string? model) => ControlRequest(requestId, "set_model", writer =>
    {
        if (model is not null)
        {
            writer.WriteString("model", model);
        }
    });

    private static string ControlRequest(string requestId, string subtype, Action<Utf8JsonWriter> writeFields)
    {
        return Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "control_request");
            writer.WriteString("request_id", requestId);
            writer.WritePropertyName("request");
            writer.WriteStartObject();
            writer.WriteString("subtype", subtype);
            writeFields(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// The answer to the CLI's <c>mcp_message</c> control request: <c>{"type":"control_response","response":{"subtype":
    /// "success","request_id":...,"response":{"mcp_response":&lt;JSON-RPC&gt;}}}</c>.
    /// </summary>
    public static string McpResponse(string requestId, string jsonRpc) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "control_response");
        writer.WritePropertyName("response");
        writer.WriteStartObject();
        writer.WriteString("subtype", "success");
        writer.WriteString("request_id", requestId);
        writer.WritePropertyName("response");
        writer.WriteStartObject();
        writer.WritePropertyName("mcp_response");
        writer.WriteRawValue(jsonRpc);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>Content blocks as a JSON array in the Anthropic Messages shape.</summary>
    public static string Content(IReadOnlyList<CliContentBlock> content) => Json(writer => WriteContent(writer, content));

    /// <summary>The compact JSON text that <paramref name="write"/> writes.</summary>
    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes content blocks in the Anthropic Messages shape.</summary>
    public static void WriteContent(Utf8JsonWriter writer, IReadOnlyList<CliContentBlock> content)
    {
        writer.WriteStartArray();
        foreach (var block in content)
        {
            writer.WriteStartObject();
            switch (block)
            {
                case CliTextBlock text:
                    writer.WriteString("type", "text");
                    writer.WriteString("text", text.Text);
                    break;
                case CliImageBlock image:
                    writer.WriteString("type", "image");
                    writer.WritePropertyName("source");
                    writer.WriteStartObject();
                    writer.WriteString("type", "base64");
                    writer.WriteString("media_type", image.MediaType);
                    writer.WriteString("data", image.Base64Data);
                    writer.WriteEndObject();
                    break;
                default:
                    throw new ArgumentException($"Unknown content block {block.GetType().Name}.", nameof(content));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
