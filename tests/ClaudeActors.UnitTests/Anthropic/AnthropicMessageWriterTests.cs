using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.Anthropic.Errors;
using ClaudeActors.Server.Anthropic.Messages;

namespace ClaudeActors.UnitTests.Anthropic;

public sealed class AnthropicMessageWriterTests
{
    private static readonly CliUsage Usage = new(InputTokens: 3, OutputTokens: 4, CacheReadInputTokens: 50, CacheCreationInputTokens: 7);

    private static List<(string Name, JsonElement Data)> Stream(IReadOnlyList<string> stops, params ChatEvent[] events)
    {
        var writer = new AnthropicMessageWriter("msg_1", "sonnet", stops);
        var items = writer.Start().Concat(events.SelectMany(writer.On)).Concat(writer.Finish()).ToList();
        return [.. items.Select(i => (i.EventType!, JsonDocument.Parse(i.Data).RootElement.Clone()))];
    }

    [Fact]
    public void Text_streams_as_one_text_block_between_message_start_and_message_stop()
    {
        var events = Stream([], new ChatTextDelta("Hel"), new ChatTextDelta("lo"), new ChatCompleted("Hello", "end_turn", Usage, null));

        Assert.Equal(
            ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        var delta = events[^2].Data;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(3, delta.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(50, delta.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(4, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public void Tool_calls_close_the_text_block_and_open_tool_use_blocks_with_input_json_deltas()
    {
        var call = new ChatToolCall(0, "toolu_1", "get_weather", """{"city":"Paris"}""");
        var events = Stream(
            [],
            new ChatTextDelta("Checking."),
            new ChatToolCallDelta(0, "toolu_1", "get_weather", ""),
            new ChatToolCallDelta(0, null, null, """{"city":"""),
            new ChatToolCallDelta(0, null, null, "\"Paris\"}"),
            new ChatCompleted("Checking.", "tool_use", Usage, null) { ToolCalls = [call] });

        Assert.Equal(
            ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name));
        var toolStart = events[5].Data;
        Assert.Equal(1, toolStart.GetProperty("index").GetInt32());
        Assert.Equal("tool_use", toolStart.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal("direct", toolStart.GetProperty("content_block").GetProperty("caller").GetProperty("type").GetString());
        Assert.Equal("""{"city":"Paris"}""", events[6].Data.GetProperty("delta").GetProperty("partial_json").GetString() + events[7].Data.GetProperty("delta").GetProperty("partial_json").GetString());
        Assert.Equal("tool_use", events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void The_whole_message_holds_text_and_tool_use_with_a_parsed_input()
    {
        var writer = new AnthropicMessageWriter("msg_2", "sonnet", []);
        foreach (var ev in new ChatEvent[]
        {
            new ChatTextDelta("Let me see."),
            new ChatToolCallDelta(0, "toolu_1", "get_weather", """{"city": "Zürich"}"""),
            new ChatCompleted("Let me see.", "tool_use", Usage, null),
        })
        {
            _ = writer.On(ev).ToList();
        }

        var message = JsonDocument.Parse(writer.Message().ToJsonString()).RootElement;

        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("msg_2", message.GetProperty("id").GetString());
        Assert.Equal("Let me see.", message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("Zürich", message.GetProperty("content")[1].GetProperty("input").GetProperty("city").GetString());
        Assert.Equal("tool_use", message.GetProperty("stop_reason").GetString());
        Assert.Equal(7, message.GetProperty("usage").GetProperty("cache_creation_input_tokens").GetInt32());
    }

    [Fact]
    public void The_whole_message_takes_its_calls_from_the_completed_turn_as_chat_completions_do()
    {
        var writer = new AnthropicMessageWriter("msg_3", "sonnet", []);
        var call = new ChatToolCall(0, "toolu_9", "get_weather", """{"city":"Oslo"}""");
        _ = writer.On(new ChatCompleted("", "tool_use", Usage, null) { ToolCalls = [call] }).ToList();

        var content = JsonDocument.Parse(writer.Message().ToJsonString()).RootElement.GetProperty("content");

        var block = Assert.Single(content.EnumerateArray());
        Assert.Equal("toolu_9", block.GetProperty("id").GetString());
        Assert.Equal("Oslo", block.GetProperty("input").GetProperty("city").GetString());
    }

    [Fact]
    public void A_stop_sequence_cuts_the_text_and_is_named_in_the_stop_reason()
    {
        var events = Stream(["XX", "STOP"], new ChatTextDelta("one two ST"), new ChatTextDelta("OP three"), new ChatCompleted("", "end_turn", Usage, null));

        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("one two ", text);
        Assert.Equal("stop_sequence", events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal("STOP", events[^2].Data.GetProperty("delta").GetProperty("stop_sequence").GetString());
    }

    [Fact]
    public void An_empty_answer_is_one_empty_text_block()
    {
        var events = Stream([], new ChatCompleted("", "end_turn", Usage, null));

        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Name));
    }

    [Theory]
    [InlineData(ChatFailureKind.Overloaded, "overloaded_error")]
    [InlineData(ChatFailureKind.ProcessFailed, "api_error")]
    [InlineData(ChatFailureKind.Timeout, "timeout_error")]
    [InlineData(ChatFailureKind.RateLimited, "rate_limit_error")]
    [InlineData(ChatFailureKind.InvalidRequest, "invalid_request_error")]
    public void A_failure_is_an_error_event_of_the_matching_type(ChatFailureKind kind, string type)
    {
        var item = AnthropicMessageWriter.Error(new ChatFailure(kind, "it broke", isTransient: false), "req_1");

        Assert.Equal("error", item.EventType);
        var data = JsonDocument.Parse(item.Data).RootElement;
        Assert.Equal("error", data.GetProperty("type").GetString());
        Assert.Equal(type, data.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("it broke", data.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void An_OpenAI_error_body_is_reshaped_and_an_Anthropic_one_left_alone()
    {
        var reshaped = ErrorReshapingStream.Reshape("""{"error":{"message":"Invalid URL","type":"invalid_request_error","param":null,"code":"unknown_url"}}"""u8.ToArray(), 404, "req_9");
        var body = JsonDocument.Parse(reshaped!).RootElement;

        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("not_found_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("Invalid URL", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("req_9", body.GetProperty("request_id").GetString());
        Assert.Null(ErrorReshapingStream.Reshape("""{"type":"error","error":{"type":"api_error","message":"x"}}"""u8.ToArray(), 500, "req_9"));
    }
}
