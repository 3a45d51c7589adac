using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Cli.Tools;

namespace ClaudeActors.Conversations;

/// <summary>
/// Continues a paused tool-calling turn when the process that waited on it is gone (a restart, passivation, another
/// node): the transcript from the events gets the client's results as the CLI itself writes them (a user entry of
/// <c>tool_result</c> blocks chained after the calls), and a resumed process is asked to go on. If the CLI had not
/// mirrored the assistant's calls before it went, they are written first from the turn's record. Pure: entries in,
/// entries out.
/// </summary>
internal static class ToolTranscript
{
    /// <summary>The user line a resumed process gets to go on from the results; the CLI sends the same after a deferred tool.</summary>
    public const string ContinuePrompt = "Continue from where you left off.";

    /// <summary>The entries to append to <paramref name="transcript"/> so that it ends with the results of <paramref name="calls"/>.</summary>
    public static IReadOnlyList<string> Continue(
        IReadOnlyList<string> transcript,
        string cliSessionId,
        string workingDirectory,
        IReadOnlyList<ToolCallRecord> calls,
        string answer,
        IReadOnlyList<ClientToolResult> results,
        DateTimeOffset now)
    {
        var leaf = (string?)null;
        var written = new HashSet<string>(StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in transcript)
        {
            JsonNode? entry;
            try
            {
                entry = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            if (entry is not JsonObject obj || obj["isSidechain"]?.GetValueKind() == JsonValueKind.True || obj["uuid"] is not JsonValue uuid
                || obj["type"]?.GetValue<string>() is not ("user" or "assistant" or "attachment" or "system"))
            {
                continue;
            }

            leaf = uuid.GetValue<string>();
            if (obj["message"]?["content"] is JsonArray content)
            {
                foreach (var block in content.OfType<JsonObject>())
                {
                    if (block["type"]?.GetValue<string>() == "tool_use" && block["id"] is JsonValue id)
                    {
                        written.Add(id.GetValue<string>());
                    }
                    else if (block["type"]?.GetValue<string>() == "tool_result" && block["tool_use_id"] is JsonValue resultOf)
                    {
                        answered.Add(resultOf.GetValue<string>());
                    }
                }
            }
        }

        if (results.All(r => answered.Contains(r.ToolCallId)))
        {
            // An earlier attempt wrote them already (it failed after): written once, never twice.
            return [];
        }

        var entries = new List<string>();
        var missing = calls.Where(c => !written.Contains(c.Id)).ToList();
        if (missing.Count > 0)
        {
            var uses = new JsonArray();
            if (missing.Count == calls.Count && answer.Length > 0)
            {
                // None of the answer was mirrored: its text goes first, as the model wrote it.
                uses.Add(new JsonObject { ["type"] = "text", ["text"] = answer });
            }

            foreach (var call in missing)
            {
                uses.Add(new JsonObject
                {
                    ["type"] = "tool_use",
                    ["id"] = call.Id,
                    ["name"] = ClientToolServer.ModelName(call.Name),
                    ["input"] = ParseObject(call.Arguments),
                });
            }

            var assistant = Entry("assistant", leaf, cliSessionId, workingDirectory, now, new JsonObject
            {
                ["id"] = "msg_" + Guid.NewGuid().ToString("N"),
                ["type"] = "message",
                ["role"] = "assistant",
                ["content"] = uses,
                ["stop_reason"] = "tool_use",
                ["usage"] = new JsonObject { ["input_tokens"] = 0, ["output_tokens"] = 0 },
            });
            leaf = assistant["uuid"]!.GetValue<string>();
            entries.Add(assistant.ToJsonString());
        }

        // Calls the model made beside the returned ones (parallel_tool_calls off) get the refusal the warm path gives.
        var unanswered = written.Where(id => !answered.Contains(id) && !results.Any(r => r.ToolCallId == id))
            .Select(id => new ClientToolResult(id, Workers.TurnReader.NotRunResult));
        var blocks = new JsonArray();
        foreach (var result in results.Concat(unanswered))
        {
            blocks.Add(new JsonObject
            {
                ["tool_use_id"] = result.ToolCallId,
                ["type"] = "tool_result",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = result.Content }),
            });
        }

        entries.Add(Entry("user", leaf, cliSessionId, workingDirectory, now, new JsonObject { ["role"] = "user", ["content"] = blocks }).ToJsonString());
        return entries;
    }

    private static JsonObject Entry(string type, string? parent, string sessionId, string cwd, DateTimeOffset now, JsonObject message) => new()
    {
        ["parentUuid"] = parent,
        ["isSidechain"] = false,
        ["userType"] = "external",
        ["cwd"] = cwd,
        ["sessionId"] = sessionId,
        ["type"] = type,
        ["message"] = message,
        ["uuid"] = Guid.NewGuid().ToString("D"),
        ["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static JsonNode ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }
}
