using System.Text.Json;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.OpenAi;

/// <summary>The tool-calling parts of a chat request: tools, functions, tool_choice, tool_calls and tool messages.</summary>
public sealed class ToolRequestParserTests
{
    private const string Weather = """{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";
    private const string Time = """{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}""";
    private const string Ask = """[{"role":"user","content":"Weather in Paris?"}]""";

    private const string Answered = """
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":"Let me check.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
         {"role":"tool","tool_call_id":"call_1","content":"22C"},
         {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"noon"}]}]
        """;

    private static ParsedChatRequest Parse(string messages, string extra = "")
    {
        using var document = JsonDocument.Parse(Body(messages, extra));
        return new ChatRequestParser(new ModelCatalog(Options.Create(new ModelOptions()), TimeProvider.System)).Parse(document.RootElement);
    }

    private static RequestValidationException Refused(string messages, string extra = "")
    {
        using var document = JsonDocument.Parse(Body(messages, extra));
        var parser = new ChatRequestParser(new ModelCatalog(Options.Create(new ModelOptions()), TimeProvider.System));
        var root = document.RootElement;
        return Assert.Throws<RequestValidationException>(() => parser.Parse(root));
    }

    private static string Body(string messages, string extra) =>
        "{\"model\":\"gpt-4o\",\"messages\":" + messages + (extra.Length > 0 ? "," + extra : "") + "}";

    [Fact]
    public void Tools_become_the_functions_the_model_is_offered()
    {
        var turn = Parse(Ask, $"\"tools\":[{Weather},{Time}]").Turn;

        Assert.Equal(["get_weather", "get_time"], turn.Tools.Select(t => t.Name));
        Assert.Equal("Weather", turn.Tools[0].Description);
        Assert.Equal("city", JsonDocument.Parse(turn.Tools[0].ParametersJson).RootElement.GetProperty("required")[0].GetString());
        Assert.True(turn.ParallelToolCalls);
        Assert.Empty(turn.ToolResults);
    }

    [Fact]
    public void Legacy_functions_are_tools_too()
    {
        var turn = Parse(Ask, "\"functions\":[{\"name\":\"get_weather\",\"parameters\":{\"properties\":{\"city\":{\"type\":\"string\"}}}}]").Turn;

        var tool = Assert.Single(turn.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("object", JsonDocument.Parse(tool.ParametersJson).RootElement.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"type":"function","function":{"name":"f","parameters":{"type":"string"}}}""", "tools[0].function.parameters")]
    [InlineData("""{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":[]}}}""", "tools[0].function.parameters")]
    [InlineData("""{"type":"function","function":{"name":"f","parameters":"{}"}}""", "tools[0].function.parameters")]
    [InlineData("""{"type":"function","function":{"name":"bad name"}}""", "tools[0].function.name")]
    [InlineData("""{"type":"function","function":{}}""", "tools[0].function.name")]
    [InlineData("""{"type":"code_interpreter"}""", "tools[0]")]
    public void A_bad_tool_is_a_400_naming_it(string tool, string param)
    {
        Assert.Equal(param, Refused(Ask, $"\"tools\":[{tool}]").Param);
    }

    [Fact]
    public void Tool_choice_none_offers_no_function()
    {
        Assert.Empty(Parse(Ask, $"\"tools\":[{Weather}],\"tool_choice\":\"none\"").Turn.Tools);
    }

    [Fact]
    public void A_named_tool_choice_offers_that_function_alone_and_asks_for_it()
    {
        var turn = Parse(Ask, $"\"tools\":[{Weather},{Time}],\"tool_choice\":{{\"type\":\"function\",\"function\":{{\"name\":\"get_time\"}}}}").Turn;

        Assert.Equal("get_time", Assert.Single(turn.Tools).Name);
        Assert.Contains("calling the function get_time", turn.ToolInstruction, StringComparison.Ordinal);
        Assert.Contains("get_time", Assert.IsType<CliTextBlock>(turn.WithToolInstruction(turn.Prompt)[^1]).Text, StringComparison.Ordinal);
        Assert.Single(turn.Prompt);
    }

    [Fact]
    public void Tool_choice_required_asks_for_a_call()
    {
        var turn = Parse(Ask, $"\"tools\":[{Weather}],\"tool_choice\":\"required\"").Turn;

        Assert.Single(turn.Tools);
        Assert.Contains("one or more of the available functions", turn.ToolInstruction, StringComparison.Ordinal);
        Assert.Equal(2, turn.WithToolInstruction(turn.Prompt).Count);
    }

    [Theory]
    [InlineData("\"tool_choice\":\"always\"", "tool_choice")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}", "tool_choice")]
    public void A_bad_tool_choice_is_a_400(string extra, string param)
    {
        Assert.Equal(param, Refused(Ask, $"\"tools\":[{Weather}]," + extra).Param);
    }

    [Fact]
    public void Trailing_tool_messages_are_the_results_of_the_pending_calls_and_no_new_prompt()
    {
        var turn = Parse(Answered, $"\"tools\":[{Weather},{Time}],\"parallel_tool_calls\":false").Turn;

        Assert.Equal([("call_1", "22C"), ("call_2", "noon")], turn.ToolResults.Select(r => (r.ToolCallId, r.Content)));
        Assert.Equal(["call_1", "call_2"], turn.AnsweredToolCallIds);
        Assert.Empty(turn.Prompt);
        Assert.False(turn.ParallelToolCalls);
        Assert.Equal(2, turn.History.Count);
    }

    [Fact]
    public void A_tool_message_for_a_call_the_assistant_did_not_make_is_a_400()
    {
        var messages = Answered.Replace("\"tool_call_id\":\"call_2\"", "\"tool_call_id\":\"call_9\"", StringComparison.Ordinal);

        var error = Refused(messages);

        Assert.Equal("messages[3].tool_call_id", error.Param);
        Assert.Contains("call_9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_message_without_an_assistant_call_before_it_is_a_400()
    {
        Assert.Equal("messages[1].role", Refused("""[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"c1","content":"42"}]""").Param);
    }

    [Fact]
    public void A_tool_message_without_its_id_is_a_400()
    {
        var messages = Answered.Replace("\"tool_call_id\":\"call_2\",", "", StringComparison.Ordinal);

        Assert.Equal("messages[3].tool_call_id", Refused(messages).Param);
    }

    [Fact]
    public void Earlier_tool_rounds_stay_in_the_history_as_text()
    {
        var messages = Answered.TrimEnd()[..^1] + """,{"role":"assistant","content":"Sunny at noon."},{"role":"user","content":"Thanks"}]""";

        var turn = Parse(messages).Turn;

        Assert.Empty(turn.ToolResults);
        Assert.Equal("Thanks", Assert.IsType<CliTextBlock>(Assert.Single(turn.Prompt)).Text);
        Assert.Contains(turn.History, m => m.Content.OfType<CliTextBlock>().Any(b => b.Text.Contains("[tool result call_1] 22C", StringComparison.Ordinal)));
    }
}
