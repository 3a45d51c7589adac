using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.OpenAi.Responses;

namespace ClaudeActors.UnitTests.OpenAi.Responses;

/// <summary>The Responses stream written from chat events: order, sequence numbers, items and the final Response.</summary>
public sealed class ResponseEventWriterTests
{
    private const string Nonce = "0123456789abcdef01234567";

    private static readonly ResponseEnvelope Envelope = new(
        1_749_761_604,
        "sonnet",
        new JsonObject { ["store"] = true, ["parallel_tool_calls"] = true, ["tools"] = new JsonArray(), ["metadata"] = new JsonObject() },
        []);

    private static ResponseEventWriter Writer() => new("resp_x", Nonce, Envelope);

    private static List<JsonElement> Parse(IEnumerable<SseItem<string>> items) =>
        [.. items.Select(i =>
        {
            var data = JsonDocument.Parse(i.Data).RootElement.Clone();
            Assert.Equal(i.EventType, data.GetProperty("type").GetString());
            return data;
        })];

    [Fact]
    public void Text_then_a_call_gives_a_message_item_then_a_function_call_item_and_gapless_sequence_numbers()
    {
        var writer = Writer();
        var usage = new CliUsage(5, 3, 10, 2);
        var events = Parse(writer.Start()
            .Concat(writer.Text("Hel"))
            .Concat(writer.Text("lo"))
            .Concat(writer.Call(new ChatToolCallDelta(0, "call_1", "get_weather", "")))
            .Concat(writer.Call(new ChatToolCallDelta(0, null, null, "{\"city\":")))
            .Concat(writer.Call(new ChatToolCallDelta(0, null, null, "\"Paris\"}")))
            .Concat(writer.Completed(ResponseOutcome.From(new ChatCompleted("Hello", "tool_use", usage, null) { ToolCalls = [new ChatToolCall(0, "call_1", "get_weather", "{\"city\":\"Paris\"}")] }))));

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(1, events[9].GetProperty("output_index").GetInt32());
        Assert.Equal("{\"city\":\"Paris\"}", events[12].GetProperty("arguments").GetString());
        Assert.Equal("get_weather", events[12].GetProperty("name").GetString());

        var response = events[^1].GetProperty("response");
        Assert.Equal("completed", response.GetProperty("status").GetString());
        Assert.Equal(1_749_761_604, response.GetProperty("created_at").GetInt64());
        Assert.Equal(
            [events[8].GetProperty("item").GetRawText(), events[13].GetProperty("item").GetRawText()],
            response.GetProperty("output").EnumerateArray().Select(i => i.GetRawText()));
        Assert.Equal(17, response.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(10, response.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(20, response.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void A_buffered_answer_is_written_whole_at_its_end()
    {
        var writer = Writer();
        var events = Parse(writer.Start().Concat(writer.Completed(new ResponseOutcome("All at once.", [], "end_turn", CliUsage.Zero))));

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
             "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("All at once.", events[5].GetProperty("text").GetString());
    }

    [Fact]
    public void A_cut_answer_ends_incomplete_with_its_message_incomplete()
    {
        var writer = Writer();
        var events = Parse(writer.Start().Concat(writer.Text("cut")).Concat(writer.Completed(new ResponseOutcome("cut", [], "max_tokens", CliUsage.Zero))));

        Assert.Equal("response.incomplete", events[^1].GetProperty("type").GetString());
        Assert.Equal("incomplete", events[^2].GetProperty("item").GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", events[^1].GetProperty("response").GetProperty("incomplete_details").GetProperty("reason").GetString());
    }

    [Fact]
    public void A_failure_sends_error_with_top_level_fields_then_response_failed_with_the_partial_output()
    {
        var writer = Writer();
        var events = Parse(writer.Start().Concat(writer.Text("Partial")).Concat(writer.Failed("server_error", "The CLI failed.")));

        var error = events[^2];
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("server_error", error.GetProperty("code").GetString());
        Assert.Equal("The CLI failed.", error.GetProperty("message").GetString());
        var failed = events[^1].GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("server_error", failed.GetProperty("error").GetProperty("code").GetString());
        var item = Assert.Single(failed.GetProperty("output").EnumerateArray());
        Assert.Equal("incomplete", item.GetProperty("status").GetString());
        Assert.Equal("Partial", item.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
    }
}
