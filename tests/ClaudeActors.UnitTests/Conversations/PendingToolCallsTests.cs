using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Cli.Tools;
using ClaudeActors.Conversations;
using ClaudeActors.Serialization;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// The entity's pending-call state: the fold of a turn that ended in tool calls, the rules for the request that
/// answers them, the transcript that continues them without the process, and their journal form.
/// </summary>
public sealed class PendingToolCallsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ToolCallRecord[] Calls = [new("toolu_1", "get_weather", """{"city":"Paris"}"""), new("toolu_2", "get_time", "{}")];

    [Fact]
    public void A_turn_that_ends_in_calls_leaves_them_pending_and_the_next_turn_clears_them()
    {
        var started = ConversationState.Empty.Apply(new ConversationStarted(Record(), [], [], T0));

        var paused = started.Apply(new TurnRecorded(Turn(1, "tool_calls") with { ToolCalls = [.. Calls] }, [], "h1", null, T0));
        var answered = paused.Apply(new TurnRecorded(Turn(2, "completed"), [], "h2", null, T0));

        Assert.Equal(["toolu_1", "toolu_2"], paused.Record!.PendingToolCalls);
        Assert.Empty(answered.Record!.PendingToolCalls);
    }

    [Fact]
    public void Results_for_every_pending_call_continue_the_turn()
    {
        Assert.True(PendingToolCalls.Check(Pending(), Results("toolu_2", "toolu_1")));
    }

    [Fact]
    public void A_plain_message_to_a_conversation_without_pending_calls_is_a_new_turn()
    {
        Assert.False(PendingToolCalls.Check(Record(), Request()));
        Assert.False(PendingToolCalls.Check(null, Request()));
    }

    [Theory]
    [InlineData(new[] { "toolu_1", "toolu_9" }, "Unknown tool_call_id toolu_9")]
    [InlineData(new[] { "toolu_1" }, "No tool message answers tool call toolu_2")]
    [InlineData(new string[0], "waits on the results of tool calls toolu_1, toolu_2")]
    public void Requests_that_do_not_answer_exactly_the_pending_calls_are_refused(string[] ids, string message)
    {
        var failure = Assert.Throws<ChatFailure>(() => PendingToolCalls.Check(Pending(), ids.Length == 0 ? Request() : Results(ids)));

        Assert.Equal(ChatFailureKind.InvalidRequest, failure.Kind);
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_with_no_pending_call_are_refused()
    {
        var failure = Assert.Throws<ChatFailure>(() => PendingToolCalls.Check(Record(), Results("toolu_1")));

        Assert.Contains("no pending tool call", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_transcript_gets_the_results_chained_after_the_mirrored_calls()
    {
        var user = Entry("user", "u-1", null, new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Weather?" }));
        var call = Entry("assistant", "a-1", "u-1", new JsonArray(
            new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_1", ["name"] = "mcp__client__get_weather", ["input"] = new JsonObject() },
            new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_2", ["name"] = "mcp__client__get_time", ["input"] = new JsonObject() }));

        var added = ToolTranscript.Continue([user, call, "not json"], "sid", "/w", Calls, "Checking.", Results("toolu_1", "toolu_2").ToolResults, T0);

        var entry = JsonNode.Parse(Assert.Single(added))!;
        Assert.Equal("user", entry["type"]!.GetValue<string>());
        Assert.Equal("a-1", entry["parentUuid"]!.GetValue<string>());
        Assert.Equal(["toolu_1", "toolu_2"], entry["message"]!["content"]!.AsArray().Select(b => b!["tool_use_id"]!.GetValue<string>()));
        Assert.Equal("result of toolu_1", entry["message"]!["content"]![0]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_mirrored_call_the_client_was_not_given_hears_it_was_not_run()
    {
        var call = Entry("assistant", "a-1", null, new JsonArray(
            new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_1", ["name"] = "mcp__client__get_weather", ["input"] = new JsonObject() },
            new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_2", ["name"] = "mcp__client__get_time", ["input"] = new JsonObject() }));

        var added = ToolTranscript.Continue([call], "sid", "/w", [Calls[0]], "", Results("toolu_1").ToolResults, T0);

        var blocks = JsonNode.Parse(Assert.Single(added))!["message"]!["content"]!.AsArray();
        Assert.Equal(["toolu_1", "toolu_2"], blocks.Select(b => b!["tool_use_id"]!.GetValue<string>()));
        Assert.Equal(ClaudeActors.Workers.TurnReader.NotRunResult, blocks[1]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Results_an_earlier_attempt_wrote_are_not_written_again()
    {
        var user = Entry("user", "u-1", null, new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Weather?" }));
        var first = ToolTranscript.Continue([user], "sid", "/w", Calls, "", Results("toolu_1", "toolu_2").ToolResults, T0);

        var again = ToolTranscript.Continue([user, .. first], "sid", "/w", Calls, "", Results("toolu_1", "toolu_2").ToolResults, T0);

        Assert.Empty(again);
    }

    [Fact]
    public void Calls_the_CLI_had_not_mirrored_are_written_from_the_turns_record_with_its_text_first()
    {
        var user = Entry("user", "u-1", null, new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Weather?" }));

        var added = ToolTranscript.Continue([user], "sid", "/w", Calls, "Checking.", Results("toolu_1", "toolu_2").ToolResults, T0);

        Assert.Equal(2, added.Count);
        var assistant = JsonNode.Parse(added[0])!;
        var result = JsonNode.Parse(added[1])!;
        Assert.Equal("u-1", assistant["parentUuid"]!.GetValue<string>());
        Assert.Equal(assistant["uuid"]!.GetValue<string>(), result["parentUuid"]!.GetValue<string>());
        var blocks = assistant["message"]!["content"]!.AsArray();
        Assert.Equal("Checking.", blocks[0]!["text"]!.GetValue<string>());
        Assert.Equal("mcp__client__get_weather", blocks[1]!["name"]!.GetValue<string>());
        Assert.Equal("Paris", blocks[1]!["input"]!["city"]!.GetValue<string>());
        Assert.Equal("sid", result["sessionId"]!.GetValue<string>());
    }

    [Fact]
    public void The_paused_turn_and_a_request_with_tools_survive_the_journals_serializer()
    {
        var recorded = new TurnRecorded(Turn(1, "tool_calls") with { ToolCalls = [.. Calls] }, ["e"], "h", "sonnet", T0);
        var request = Results() with
        {
            Tools = [new ClientTool("get_weather", "Weather", """{"type":"object"}""")],
            ToolResults = [new ClientToolResult("toolu_1", "22C")],
            ParallelToolCalls = false,
            ToolInstruction = "call it",
        };

        var recordedBack = JsonSerializer.Deserialize<TurnRecorded>(JsonSerializer.Serialize(recorded, JsonMessageSerializer.Options), JsonMessageSerializer.Options)!;
        var requestBack = JsonSerializer.Deserialize<ChatTurnRequest>(JsonSerializer.Serialize(request, JsonMessageSerializer.Options), JsonMessageSerializer.Options)!;

        Assert.Equal(Calls, recordedBack.Turn.ToolCalls);
        Assert.Equal(request.Tools, requestBack.Tools);
        Assert.Equal(request.ToolResults, requestBack.ToolResults);
        Assert.False(requestBack.ParallelToolCalls);
        Assert.Equal("call it", requestBack.ToolInstruction);
    }

    private static string Entry(string type, string uuid, string? parent, JsonArray content) => new JsonObject
    {
        ["parentUuid"] = parent,
        ["isSidechain"] = false,
        ["type"] = type,
        ["uuid"] = uuid,
        ["message"] = new JsonObject { ["role"] = type, ["content"] = content },
    }.ToJsonString();

    private static ChatTurnRequest Request() => new() { Prompt = [new CliTextBlock("hi")] };

    private static ChatTurnRequest Results(params string[] ids) =>
        new() { Prompt = [], ToolResults = [.. ids.Select(id => new ClientToolResult(id, "result of " + id))] };

    private static ConversationRecord Pending() => Record() with { PendingToolCalls = ["toolu_1", "toolu_2"] };

    private static ConversationRecord Record() => new()
    {
        Id = "c",
        CliSessionId = "0b7c9d35-7f53-4a3c-9d0e-2f1f6f3f1a11",
        Created = T0,
        LastUsed = T0,
    };

    private static TurnRecord Turn(int sequence, string status) => new()
    {
        Sequence = sequence,
        RequestJson = "[]",
        Answer = "",
        Status = status,
        Started = T0,
    };
}
