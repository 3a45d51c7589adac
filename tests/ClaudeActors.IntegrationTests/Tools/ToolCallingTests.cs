using System.Text.Json;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.Tools;

/// <summary>
/// OpenAI tool calling through the official SDK -> our server -> the real CLI (the client's functions as our in-process
/// MCP server) -> the fake upstream, which answers with tool_use blocks and checks the tool_result blocks it gets back.
/// </summary>
public sealed class ToolCallingTests
{
    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool(
        "get_weather",
        "The weather in a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private static ChatCompletionOptions WithWeather() => new() { Tools = { Weather } };

    [Fact]
    public async Task A_two_round_tool_loop_continues_the_same_model_turn_with_the_clients_results()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("Let me check.", FakeToolUse.Client("toolu_01", "get_weather", """{"city":"Paris"}""")));
        upstream.Enqueue(FakeReply.ToolCalls("", FakeToolUse.Client("toolu_02", "get_weather", """{"city":"Rome"}""")));
        upstream.Enqueue(FakeReply.Text("Paris is sunny and Rome is rainy.", usage: new FakeUsage(30, 8, 0, 0)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var chat = gateway.OpenAiChat("sonnet", "tools-two-rounds");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris and Rome?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, WithWeather());

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal("Let me check.", Assert.Single(first.Content).Text);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("toolu_01", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Contains("mcp__client__get_weather", upstream.MessageRequests[0].ToolNames);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_01", "22C and sunny"));
        ChatCompletion second = await chat.CompleteChatAsync(messages, WithWeather());

        Assert.Equal(ChatFinishReason.ToolCalls, second.FinishReason);
        Assert.Equal("toolu_02", Assert.Single(second.ToolCalls).Id);
        Assert.Equal([("toolu_01", "22C and sunny", false)], upstream.MessageRequests[1].ToolResults);

        messages.Add(new AssistantChatMessage(second));
        messages.Add(new ToolChatMessage("toolu_02", "14C and rainy"));
        ChatCompletion third = await chat.CompleteChatAsync(messages, WithWeather());

        Assert.Equal(ChatFinishReason.Stop, third.FinishReason);
        Assert.Equal("Paris is sunny and Rome is rainy.", Assert.Single(third.Content).Text);
        Assert.Equal([("toolu_02", "14C and rainy", false)], upstream.MessageRequests[2].ToolResults);
        Assert.Equal(3, upstream.MessageRequests.Count);

        // Usage counts the upstream calls of each response: the last one made one call.
        Assert.Equal(30, third.Usage.InputTokenCount);
        Assert.Equal(8, third.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_restart_between_the_call_and_the_result_continues_the_turn_from_the_journal()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("Checking.", FakeToolUse.Client("toolu_r1", "get_weather", """{"city":"Oslo"}""")));
        upstream.Enqueue(FakeReply.Text("Oslo is cold."));
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        ChatCompletion first = await gateway.OpenAiChat("sonnet", "tools-restart").CompleteChatAsync(messages, WithWeather());
        Assert.Equal("toolu_r1", Assert.Single(first.ToolCalls).Id);

        await gateway.App.StopAsync();
        await using var restarted = await TestGateway.StartAsync(
            upstream.BaseUrl,
            settings =>
            {
                foreach (var (key, value) in gateway.Journal)
                {
                    settings[key] = value;
                }
            },
            root: gateway.Root);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_r1", "-5C"));
        ChatCompletion second = await restarted.OpenAiChat("sonnet", "tools-restart").CompleteChatAsync(messages, WithWeather());

        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal("Oslo is cold.", Assert.Single(second.Content).Text);
        Assert.Equal(2, upstream.MessageRequests.Count);
        var resumed = upstream.MessageRequests[1];
        var callMessage = Assert.Single(resumed.Messages, m => m.GetRawText().Contains("\"id\":\"toolu_r1\"", StringComparison.Ordinal));
        Assert.Equal("assistant", callMessage.GetProperty("role").GetString());
        Assert.Contains("Checking.", callMessage.GetRawText(), StringComparison.Ordinal);
        var resultMessage = Assert.Single(resumed.Messages, m => m.GetRawText().Contains("\"tool_use_id\":\"toolu_r1\"", StringComparison.Ordinal));
        Assert.Equal("user", resultMessage.GetProperty("role").GetString());
        Assert.Contains("-5C", resultMessage.GetRawText(), StringComparison.Ordinal);

        // Nothing lost or repeated: the question once, the call once, its result once.
        var body = resumed.Body.GetRawText();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(body, "\"id\":\"toolu_r1\""));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(body, "\"tool_use_id\":\"toolu_r1\""));
        Assert.Single(resumed.UserTexts, t => t.Contains("Weather in Oslo?", StringComparison.Ordinal));
    }
}
