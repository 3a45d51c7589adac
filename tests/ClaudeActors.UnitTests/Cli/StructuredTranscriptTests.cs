using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Cli.Transcripts;

namespace ClaudeActors.UnitTests.Cli;

public sealed class StructuredTranscriptTests
{
    private const string Json = """{"name":"Ada"}""";

    private static string Entry(string type, string? uuid, string? parent, object? content = null, object? extra = null)
    {
        var node = new JsonObject { ["type"] = type };
        if (uuid is not null)
        {
            node["uuid"] = uuid;
            node["parentUuid"] = parent;
        }

        if (content is not null)
        {
            node["message"] = new JsonObject
            {
                ["role"] = type,
                ["content"] = JsonSerializer.SerializeToNode(content),
            };
        }

        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                node[key] = value?.DeepClone();
            }
        }

        return node.ToJsonString();
    }

    private static object ToolUse(string id, string input) =>
        new object[] { new { type = "tool_use", id, name = "StructuredOutput", input = JsonNode.Parse(input) } };

    private static object ToolResult(string id, string text, bool error = false) =>
        new object[] { new { type = "tool_result", tool_use_id = id, content = text, is_error = error } };

    private static object Text(string text) => new object[] { new { type = "text", text } };

    /// <summary>A turn as the CLI records it when the model missed once: a bad call, its error, a reminder, a good call.</summary>
    private static List<string> TurnWithRetries() =>
    [
        Entry("queue-operation", null, null),
        Entry("user", "u1", "prev", Text("Describe Ada.")),
        Entry("attachment", "a1", "u1"),
        Entry("assistant", "m1", "a1", Text("Let me think.")),
        Entry("assistant", "m2", "m1", ToolUse("t1", """{"nom":"Ada"}""")),
        Entry("user", "r1", "m2", ToolResult("t1", "Output does not match required schema", error: true)),
        Entry("user", "e1", "r1", Text("[structured-output-enforce] You MUST call the StructuredOutput tool.")),
        Entry("assistant", "m3", "e1", ToolUse("t2", Json)),
        Entry("attachment", "s1", "m3", extra: new { attachment = new { type = "structured_output", data = JsonNode.Parse(Json) } }),
        Entry("user", "r2", "s1", ToolResult("t2", "Structured output provided successfully")),
        Entry("attachment", "p1", "r2"),
        Entry("last-prompt", null, null, extra: new { leafUuid = "p1" }),
        Entry("last-prompt", null, null, extra: new { leafUuid = "r2" }),
    ];

    [Fact]
    public void Flatten_KeepsThePromptAndOneAssistantTextWithTheJson_ChainedWithoutTheDroppedEntries()
    {
        var flattened = StructuredTranscript.Flatten(TurnWithRetries(), Json).Select(e => JsonNode.Parse(e)!.AsObject()).ToList();

        var messages = flattened.Where(e => e["type"]!.GetValue<string>() is "user" or "assistant").ToList();
        Assert.Equal(["u1", "m3"], messages.Select(m => m["uuid"]!.GetValue<string>()));
        var content = Assert.Single(messages[1]["message"]!["content"]!.AsArray())!;
        Assert.Equal("text", content["type"]!.GetValue<string>());
        Assert.Equal(Json, content["text"]!.GetValue<string>());

        // The assistant answer hangs on the prompt's attachment; what hung on dropped entries hangs on their parents.
        Assert.Equal("a1", messages[1]["parentUuid"]!.GetValue<string>());
        var uuids = flattened.Where(e => e["uuid"] is not null).Select(e => e["uuid"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["u1", "a1", "m3", "p1"], flattened.Where(e => e["uuid"] is not null).Select(e => e["uuid"]!.GetValue<string>()));
        Assert.Equal("m3", flattened.Single(e => e["uuid"]?.GetValue<string>() == "p1")["parentUuid"]!.GetValue<string>());
        Assert.Equal(["p1", "m3"], flattened.Where(e => e["type"]!.GetValue<string>() == "last-prompt").Select(e => e["leafUuid"]!.GetValue<string>()));
        Assert.All(flattened.Where(e => e["parentUuid"] is JsonValue), e => Assert.True(uuids.Contains(e["parentUuid"]!.GetValue<string>()) || e["parentUuid"]!.GetValue<string>() == "prev"));
        Assert.DoesNotContain(flattened, e => e.ToJsonString().Contains("tool_use", StringComparison.Ordinal) || e.ToJsonString().Contains("tool_result", StringComparison.Ordinal));
    }

    [Fact]
    public void Flatten_WithoutAStructuredOutputCall_LeavesTheEntriesAsTheyAre()
    {
        List<string> entries = [Entry("user", "u1", null, Text("hi")), Entry("assistant", "m1", "u1", Text("hello")), "not json"];

        Assert.Equal(entries, StructuredTranscript.Flatten(entries, Json));
    }
}
