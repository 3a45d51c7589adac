using System.Text.Json;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Conversations;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using ClaudeActors.Server.OpenAi.Responses;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.OpenAi.Responses;

/// <summary>How a Responses request becomes the chat turn it means, and what it echoes and keeps.</summary>
public sealed class ResponseRequestReaderTests
{
    private const string Weather = """{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}""";
    private const string Time = """{"type":"function","name":"get_time","parameters":{"type":"object","properties":{}}}""";

    private static ParsedResponseRequest Read(string json, TurnRecord? previous = null)
    {
        using var document = JsonDocument.Parse(json);
        return Reader().Read(document.RootElement, null, previous);
    }

    private static RequestValidationException Refused(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var reader = Reader();
        return Assert.Throws<RequestValidationException>(() => reader.Read(root, null, null));
    }

    private static ResponseRequestReader Reader() =>
        new(new ChatRequestParser(new ModelCatalog(Options.Create(new ModelOptions()), TimeProvider.System)), TimeProvider.System);

    [Fact]
    public void A_string_input_is_one_user_message_and_instructions_are_the_system_prompt()
    {
        var request = Read("""{"model":"sonnet","input":"Hello","instructions":"Be terse."}""");

        Assert.Equal("Be terse.", request.Chat.Turn.SystemPrompt);
        Assert.Equal("Hello", Assert.IsType<CliTextBlock>(Assert.Single(request.Chat.Turn.Prompt)).Text);
        Assert.True(request.Store);
        Assert.False(request.Chat.Stream);
        var item = Assert.Single(request.Envelope.Input)!;
        Assert.Equal("message", item["type"]!.GetValue<string>());
        Assert.Equal("user", item["role"]!.GetValue<string>());
        Assert.StartsWith("msg_", item["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("input_text", item["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Be terse.", request.Envelope.Settings["instructions"]!.GetValue<string>());
    }

    [Fact]
    public void Developer_items_join_the_system_prompt_and_images_become_image_blocks()
    {
        var request = Read("""
            {"model":"sonnet","instructions":"A","input":[
              {"type":"message","role":"developer","content":"B"},
              {"role":"user","content":[{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]}]}
            """);

        Assert.Equal("A\n\nB", request.Chat.Turn.SystemPrompt);
        Assert.Collection(
            request.Chat.Turn.Prompt,
            b => Assert.Equal("What is this?", Assert.IsType<CliTextBlock>(b).Text),
            b => Assert.Equal("image/png", Assert.IsType<CliImageBlock>(b).MediaType));
        Assert.Equal(2, request.Envelope.Input.Count);
    }

    [Fact]
    public void Flat_function_tools_are_offered_and_echoed_as_sent()
    {
        var request = Read($$"""{"model":"sonnet","input":"hi","tools":[{{Weather}},{{Time}}]}""");

        Assert.Equal(["get_weather", "get_time"], request.Chat.Turn.Tools.Select(t => t.Name));
        Assert.Equal(JsonDocument.Parse(Weather).RootElement.GetRawText(), request.Envelope.Settings["tools"]![0]!.ToJsonString());
        Assert.Equal("auto", request.Envelope.Settings["tool_choice"]!.GetValue<string>());
    }

    [Fact]
    public void Allowed_tools_narrows_the_offered_functions()
    {
        var request = Read($$$"""{"model":"sonnet","input":"hi","tools":[{{{Weather}}},{{{Time}}}],"tool_choice":{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"get_time"}]} }""");

        Assert.Equal(["get_time"], request.Chat.Turn.Tools.Select(t => t.Name));
    }

    [Fact]
    public void Function_call_items_and_their_outputs_are_the_assistants_calls_and_the_tool_results()
    {
        var request = Read($$"""
            {"model":"sonnet","tools":[{{Weather}}],"input":[
              {"role":"user","content":"Weather?"},
              {"type":"message","role":"assistant","id":"msg_1","status":"completed","content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"},
              {"type":"function_call_output","call_id":"call_1","output":"22C"}]}
            """);

        var result = Assert.Single(request.Chat.Turn.ToolResults);
        Assert.Equal("call_1", result.ToolCallId);
        Assert.Equal("22C", result.Content);
        Assert.Equal(["call_1"], request.Chat.Turn.AnsweredToolCallIds);
        Assert.Equal(["user", "assistant"], request.Chat.Turn.History.Select(m => m.Role == CliRole.User ? "user" : "assistant"));
        Assert.Equal(["message", "message", "function_call", "function_call_output"], request.Envelope.Input.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal("fc_1", request.Envelope.Input[2]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_that_answer_the_previous_response_get_its_calls_from_the_stored_turn()
    {
        var previous = new TurnRecord
        {
            Sequence = 1,
            RequestJson = "[]",
            Answer = "Checking.",
            Status = "tool_calls",
            Started = DateTimeOffset.UnixEpoch,
            ToolCalls = [new ToolCallRecord("call_9", "get_weather", """{"city":"Oslo"}""")],
        };

        var request = Read($$"""{"model":"sonnet","tools":[{{Weather}}],"previous_response_id":"resp_x","input":[{"type":"function_call_output","call_id":"call_9","output":[{"type":"input_text","text":"-5C"}]}]}""", previous);

        Assert.Equal("-5C", Assert.Single(request.Chat.Turn.ToolResults).Content);
        Assert.Equal(["call_9"], request.Chat.Turn.AnsweredToolCallIds);
        Assert.Empty(request.Chat.Turn.Prompt);
        Assert.Equal("resp_x", request.Envelope.Settings["previous_response_id"]!.GetValue<string>());
    }

    [Fact]
    public void Text_format_json_schema_is_the_turns_schema_and_the_settings_are_echoed()
    {
        var request = Read("""
            {"model":"sonnet","input":"JSON please","text":{"format":{"type":"json_schema","name":"w","schema":{"type":"object","properties":{"a":{"type":"string"}}},"strict":true}},
             "max_output_tokens":100,"reasoning":{"effort":"minimal"},"metadata":{"k":"v"},"store":false,"stream":true,"temperature":0.5}
            """);

        Assert.Equal("""{"type":"object","properties":{"a":{"type":"string"}}}""", request.Chat.Turn.JsonSchema);
        Assert.Equal(100, request.Chat.Turn.MaxOutputTokens);
        Assert.Equal("low", request.Chat.Turn.Effort);
        Assert.False(request.Store);
        Assert.True(request.Chat.Stream);
        var settings = request.Envelope.Settings;
        Assert.Equal("json_schema", settings["text"]!["format"]!["type"]!.GetValue<string>());
        Assert.Equal(100, settings["max_output_tokens"]!.GetValue<int>());
        Assert.Equal("minimal", settings["reasoning"]!["effort"]!.GetValue<string>());
        Assert.Equal("v", settings["metadata"]!["k"]!.GetValue<string>());
        Assert.Equal(0.5, settings["temperature"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("""{"input":"hi","tools":[{"type":"code_interpreter"}]}""", "tools[0].type")]
    [InlineData("""{"input":"hi","tool_choice":{"type":"allowed_tools","tools":[{"type":"function","name":"nope"}]}}""", "tool_choice.tools")]
    [InlineData("""{"input":[{"type":"function_call_output","call_id":"c"}]}""", "input[0].output")]
    [InlineData("""{"input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "input[0].call_id")]
    [InlineData("""{"input":[{"role":"system","content":[{"type":"input_image","image_url":"data:image/png;base64,AA=="}]}]}""", "input[0].content[0].type")]
    [InlineData("""{"input":[{"role":"robot","content":"x"}]}""", "input[0].role")]
    [InlineData("""{"input":"hi","text":{"format":{"type":"xml"}}}""", "text.format.type")]
    [InlineData("""{"input":"hi","prompt":{"id":"p"}}""", "prompt")]
    [InlineData("""{"input":"hi","metadata":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11","l":"12","m":"13","n":"14","o":"15","p":"16","q":"17"}}""", "metadata")]
    public void What_the_server_cannot_honour_is_refused_naming_the_parameter(string json, string param)
    {
        Assert.Equal(param, Refused(json).Param);
    }
}
