using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.Anthropic.Messages;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.Anthropic;

public sealed class MessagesRequestReaderTests
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    private const string Weather = """{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}""";

    private static readonly ChatRequestParser ChatParser = new(new ModelCatalog(Options.Create(new ModelOptions()), TimeProvider.System));

    private static ParsedChatRequest Read(string json, string? session = null)
    {
        using var document = JsonDocument.Parse(json);
        return new MessagesRequestReader(new ModelCatalog(Options.Create(new ModelOptions()), TimeProvider.System)).Read(document.RootElement, session);
    }

    private static RequestValidationException Refused(string json) => Assert.Throws<RequestValidationException>(() => Read(json));

    private static string Body(string messages, string extra = "") =>
        "{\"model\":\"sonnet\",\"max_tokens\":256,\"messages\":" + messages + (extra.Length > 0 ? "," + extra : "") + "}";

    [Fact]
    public void A_plain_request_becomes_a_turn_with_system_history_and_prompt()
    {
        var request = Read(Body(
            """[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"text","text":"Hello"}]},{"role":"user","content":[{"type":"text","text":"Again"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"PNG"}}]}]""".Replace("PNG", Png, StringComparison.Ordinal),
            """ "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Be kind."}],"stop_sequences":["END"],"stream":true,"metadata":{"user_id":"u1"},"temperature":0.5""".Trim()));

        Assert.Equal("Be brief.\n\nBe kind.", request.Turn.SystemPrompt);
        Assert.Equal(256, request.Turn.MaxOutputTokens);
        Assert.Equal("sonnet", request.Turn.Model);
        Assert.True(request.Stream);
        Assert.Equal(["END"], request.Stop);
        Assert.Equal([CliRole.User, CliRole.Assistant], request.Turn.History.Select(m => m.Role));
        Assert.Equal("Again", Assert.IsType<CliTextBlock>(request.Turn.Prompt[0]).Text);
        Assert.Equal("image/png", Assert.IsType<CliImageBlock>(request.Turn.Prompt[1]).MediaType);
    }

    [Theory]
    [InlineData("""{"model":"sonnet","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required")]
    [InlineData("""{"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", "model: Field required")]
    [InlineData("""{"model":"sonnet","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"The answer is"}]}""", "prefill")]
    [InlineData("""{"model":"sonnet","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}""", "fetches no URLs")]
    [InlineData("""{"model":"sonnet","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{}}]}]}""", "'document'")]
    [InlineData("""{"model":"sonnet","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"bash_20250124","name":"bash"}]}""", "server tools")]
    [InlineData("""{"model":"sonnet","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"container":"c1"}""", "container")]
    [InlineData("""{"model":"sonnet","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":10}}""", "budget_tokens")]
    [InlineData("""{"model":"sonnet","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "positive integer")]
    public void What_the_CLI_cannot_honour_is_refused_with_a_clear_message(string json, string expected)
    {
        Assert.Contains(expected, Refused(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_use_and_tool_result_blocks_read_as_the_chat_parser_reads_tool_calls_and_tool_messages()
    {
        var anthropic = Read(Body(
            """[{"role":"user","content":"Weather?"},{"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city": "Paris"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"22C"}]}]}]""",
            "\"tools\":[" + Weather + "]"));
        using var openAi = JsonDocument.Parse("""
            {"model":"sonnet","messages":[{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_1","content":"22C"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """);
        var chat = ChatParser.Parse(openAi.RootElement);

        Assert.Empty(anthropic.Turn.Prompt);
        Assert.Equal(chat.Turn.ToolResults, anthropic.Turn.ToolResults);
        Assert.Equal(["toolu_1"], anthropic.Turn.AnsweredToolCallIds);
        Assert.Equal(
            ClaudeActors.Conversations.HistoryHash.Of(null, chat.Turn.History),
            ClaudeActors.Conversations.HistoryHash.Of(null, anthropic.Turn.History));
        Assert.Equal("get_weather", Assert.Single(anthropic.Turn.Tools).Name);
    }

    [Fact]
    public void A_tool_result_for_no_call_of_the_assistant_message_before_it_is_refused()
    {
        var refused = Refused(Body(
            """[{"role":"user","content":"Weather?"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"x"}]}]"""));

        Assert.Contains("toolu_9", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", 1, null, false)]
    [InlineData("""{"type":"none"}""", 0, null, true)]
    [InlineData("""{"type":"any"}""", 1, ToolRequestReader.RequiredInstruction, true)]
    [InlineData("""{"type":"tool","name":"get_weather"}""", 1, "(Answer this message by calling the function get_weather.)", true)]
    public void Tool_choice_maps_to_the_offer_and_instruction_of_the_chat_surface(string choice, int offered, string? instruction, bool parallel)
    {
        var request = Read(Body("""[{"role":"user","content":"hi"}]""", "\"tools\":[" + Weather + "],\"tool_choice\":" + choice));

        Assert.Equal(offered, request.Turn.Tools.Count);
        Assert.Equal(instruction, request.Turn.ToolInstruction);
        Assert.Equal(parallel, request.Turn.ParallelToolCalls);
    }

    [Theory]
    [InlineData("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}", "low")]
    [InlineData("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":8000}", "medium")]
    [InlineData("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000}", "high")]
    [InlineData("\"thinking\":{\"type\":\"adaptive\"}", null)]
    [InlineData("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},\"output_config\":{\"effort\":\"max\"}", "max")]
    public void Thinking_and_output_config_effort_map_to_the_CLI_effort(string extra, string? effort)
    {
        Assert.Equal(effort, Read(Body("""[{"role":"user","content":"hi"}]""", extra)).Turn.Effort);
    }

    [Fact]
    public void Output_config_format_is_the_structured_output_schema_and_refuses_tools_and_stop_sequences()
    {
        const string Format = "\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}}";

        Assert.Equal("""{"type":"object","properties":{"a":{"type":"string"}}}""", Read(Body("""[{"role":"user","content":"hi"}]""", Format)).Turn.JsonSchema);
        Assert.Contains("tools", Refused(Body("""[{"role":"user","content":"hi"}]""", Format + ",\"tools\":[" + Weather + "]")).Message, StringComparison.Ordinal);
        Assert.Contains("stop_sequences", Refused(Body("""[{"role":"user","content":"hi"}]""", Format + ",\"stop_sequences\":[\"x\"]")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void System_messages_join_the_system_prompt_after_the_top_level_system()
    {
        var request = Read(Body(
            """[{"role":"system","content":"Use metric units."},{"role":"user","content":"hi"}]""",
            "\"system\":\"Be brief.\""));

        Assert.Equal("Be brief.\n\nUse metric units.", request.Turn.SystemPrompt);
        Assert.Empty(request.Turn.History);
    }

    [Fact]
    public void The_session_header_names_the_conversation()
    {
        Assert.Equal("my conversation", Read(Body("""[{"role":"user","content":"hi"}]"""), "my%20conversation").SessionId);
    }
}
