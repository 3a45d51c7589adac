using System.Collections.Concurrent;
using System.Text.Json;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Cli.Tools;

/// <summary>
/// The in-process MCP server that carries a client's functions into the CLI (<c>--mcp-config</c> with
/// <c>"type":"sdk"</c>): the CLI sends MCP JSON-RPC in <c>mcp_message</c> control requests and this answers them.
/// <c>initialize</c> and <c>tools/list</c> are answered at once; a <c>tools/call</c> waits until the client's result for
/// that tool use is given with <see cref="Provide"/>, which may be a later HTTP request: the CLI simply waits.
/// </summary>
internal sealed class ClientToolServer(IReadOnlyList<ClientTool> tools)
{
    /// <summary>The MCP server's name; the model sees each function as <c>mcp__client__&lt;name&gt;</c>.</summary>
    public const string ServerName = "client";

    /// <summary>The prefix the CLI puts before each function's name.</summary>
    public const string ToolPrefix = "mcp__" + ServerName + "__";

    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _results = new(StringComparer.Ordinal);
    private int _waiting;

    /// <summary>
    /// True while the CLI waits in a <c>tools/call</c> for a client's result: its turn is paused, and closing its input
    /// would make it go on without the result (a process in this state is killed, never shut down gracefully).
    /// </summary>
    public bool IsWaiting => Volatile.Read(ref _waiting) > 0;

    public IReadOnlyList<ClientTool> Tools { get; } = tools;

    /// <summary>The model-visible name of a client function.</summary>
    public static string ModelName(string name) => ToolPrefix + name;

    /// <summary>The client's name of a tool the model called (the prefix taken off).</summary>
    public static string ClientName(string modelName) =>
        modelName.StartsWith(ToolPrefix, StringComparison.Ordinal) ? modelName[ToolPrefix.Length..] : modelName;

    /// <summary>A stable key of the tool set: a process serves only the tools it was started with.</summary>
    public static string Signature(IReadOnlyList<ClientTool> tools) =>
        string.Join("\u0001", tools.Select(t => t.Name + "\u0002" + t.Description + "\u0002" + t.ParametersJson));

    /// <summary>Gives the client's result for a tool use; the CLI's waiting (or later) <c>tools/call</c> gets it.</summary>
    public void Provide(string toolUseId, string content) =>
        _results.GetOrAdd(toolUseId, static _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult(content);

    /// <summary>Answers one MCP JSON-RPC message; returns the JSON-RPC response to send back as <c>mcp_response</c>.</summary>
    public async Task<string> HandleAsync(JsonElement message, CancellationToken cancellationToken)
    {
        var method = message.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var id = message.TryGetProperty("id", out var i) ? i.Clone() : default;
        switch (method)
        {
            case "initialize":
                var version = message.TryGetProperty("params", out var p) && p.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()!
                    : "2024-11-05";
                return Response(id, w =>
                {
                    w.WriteString("protocolVersion", version);
                    w.WritePropertyName("capabilities");
                    w.WriteStartObject();
                    w.WritePropertyName("tools");
                    w.WriteStartObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WritePropertyName("serverInfo");
                    w.WriteStartObject();
                    w.WriteString("name", ServerName);
                    w.WriteString("version", "1.0.0");
                    w.WriteEndObject();
                });
            case "tools/list":
                return Response(id, w =>
                {
                    w.WritePropertyName("tools");
                    w.WriteStartArray();
                    foreach (var tool in Tools)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", tool.Name);
                        if (tool.Description is not null)
                        {
                            w.WriteString("description", tool.Description);
                        }

                        w.WritePropertyName("inputSchema");
                        w.WriteRawValue(tool.ParametersJson);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
            case "tools/call":
                var toolUseId = ToolUseId(message);
                if (toolUseId is null)
                {
                    return Error(id, -32602, "tools/call without a tool use id");
                }

                string content;
                Interlocked.Increment(ref _waiting);
                try
                {
                    content = await _results
                        .GetOrAdd(toolUseId, static _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously))
                        .Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }

                return Response(id, w =>
                {
                    w.WritePropertyName("content");
                    w.WriteStartArray();
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", content);
                    w.WriteEndObject();
                    w.WriteEndArray();
                });
            default:
                // Notifications (notifications/initialized, ...) and anything else: an empty success.
                return Response(id, static _ => { });
        }
    }

    private static string? ToolUseId(JsonElement message) =>
        message.TryGetProperty("params", out var p) && p.TryGetProperty("_meta", out var meta)
        && meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("claudecode/toolUseId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    private static string Response(JsonElement id, Action<Utf8JsonWriter> writeResult) => StreamJsonWriter.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        WriteId(w, id);
        w.WritePropertyName("result");
        w.WriteStartObject();
        writeResult(w);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static string Error(JsonElement id, int code, string text) => StreamJsonWriter.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("jsonrpc", "2.0");
        WriteId(w, id);
        w.WritePropertyName("error");
        w.WriteStartObject();
        w.WriteNumber("code", code);
        w.WriteString("message", text);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static void WriteId(Utf8JsonWriter w, JsonElement id)
    {
        w.WritePropertyName("id");
        if (id.ValueKind is JsonValueKind.Number or JsonValueKind.String)
        {
            id.WriteTo(w);
        }
        else
        {
            w.WriteNumberValue(0);
        }
    }
}
