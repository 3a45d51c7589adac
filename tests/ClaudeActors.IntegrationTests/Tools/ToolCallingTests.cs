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

    /// <summary>An answer that calls get_weather twice in one message, for Paris then Rome.</summary>
    private static FakeReply ParisAndRome(string text, string firstId, string secondId) => FakeReply.ToolCalls(
        text,
        FakeToolUse.Client(firstId, "get_weather", """{"city":"Paris"}"""),
        FakeToolUse.Client(secondId, "get_weather", """{"city":"Rome"}"""));

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

    [Fact]
    public async Task Parallel_calls_stream_as_tool_call_fragments_after_the_text_and_all_come_back()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(ParisAndRome("Checking both.", "toolu_p1", "toolu_p2"));
        upstream.Enqueue(FakeReply.Text("Both sunny."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var chat = gateway.OpenAiChat("sonnet", "tools-parallel");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris and Rome?")];

        var text = new System.Text.StringBuilder();
        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, System.Text.StringBuilder>();
        var order = new List<string>();
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, WithWeather()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                order.Add("text");
            }

            foreach (var call in update.ToolCallUpdates)
            {
                order.Add("call");
                if (call.ToolCallId is not null)
                {
                    ids[call.Index] = call.ToolCallId;
                    names[call.Index] = call.FunctionName;
                }

                (arguments.TryGetValue(call.Index, out var sb) ? sb : arguments[call.Index] = new()).Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("Checking both.", text.ToString());
        Assert.True(order.LastIndexOf("text") < order.IndexOf("call"), "the text comes before the calls");
        Assert.Equal(["toolu_p1", "toolu_p2"], ids.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal(["get_weather", "get_weather"], names.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal("""{"city":"Rome"}""", arguments[1].ToString());

        messages.Add(new AssistantChatMessage([
            ChatToolCall.CreateFunctionToolCall(ids[0], "get_weather", BinaryData.FromString(arguments[0].ToString())),
            ChatToolCall.CreateFunctionToolCall(ids[1], "get_weather", BinaryData.FromString(arguments[1].ToString())),
        ]));
        messages.Add(new ToolChatMessage("toolu_p1", "25C"));
        messages.Add(new ToolChatMessage("toolu_p2", "27C"));
        var answer = new System.Text.StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync(messages, WithWeather()))
        {
            foreach (var part in update.ContentUpdate)
            {
                answer.Append(part.Text);
            }
        }

        Assert.Equal("Both sunny.", answer.ToString());
        Assert.Equal([("toolu_p1", "25C", false), ("toolu_p2", "27C", false)], upstream.MessageRequests[1].ToolResults);
    }

    [Fact]
    public async Task Parallel_tool_calls_off_returns_the_first_call_alone_and_the_model_hears_the_others_were_not_run()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(ParisAndRome("", "toolu_s1", "toolu_s2"));
        upstream.Enqueue(FakeReply.Text("Paris is sunny."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var chat = gateway.OpenAiChat("sonnet", "tools-serial");
        var options = new ChatCompletionOptions { Tools = { Weather }, AllowParallelToolCalls = false };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris and Rome?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, options);

        Assert.Equal("toolu_s1", Assert.Single(first.ToolCalls).Id);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_s1", "25C"));
        ChatCompletion second = await chat.CompleteChatAsync(messages, options);

        Assert.Equal("Paris is sunny.", second.Content[0].Text);
        var results = upstream.MessageRequests[1].ToolResults;
        Assert.Equal(("toolu_s1", "25C"), (results[0].ToolUseId, results[0].Text));
        Assert.Equal("toolu_s2", results[1].ToolUseId);
        Assert.Contains("only one function call at a time", results[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tool_choice_none_offers_the_model_none_of_the_functions()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("I will just answer."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateNoneChoice() };

        ChatCompletion completion = await gateway.OpenAiChat("sonnet").CompleteChatAsync([new UserChatMessage("Weather?")], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.DoesNotContain(upstream.MessageRequests[0].ToolNames, n => n.StartsWith("mcp__client__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_named_tool_choice_offers_that_function_alone_and_asks_the_model_to_call_it()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("", FakeToolUse.Client("toolu_n1", "get_time", "{}")));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var time = ChatTool.CreateFunctionTool("get_time", "The time", BinaryData.FromString("""{"type":"object","properties":{}}"""));
        var options = new ChatCompletionOptions { Tools = { Weather, time }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_time") };

        ChatCompletion completion = await gateway.OpenAiChat("sonnet").CompleteChatAsync([new UserChatMessage("What time is it?")], options);

        Assert.Equal("get_time", Assert.Single(completion.ToolCalls).FunctionName);
        var request = upstream.MessageRequests[0];
        Assert.Equal(["mcp__client__get_time"], request.ToolNames.Where(n => n.StartsWith("mcp__client__", StringComparison.Ordinal)));
        Assert.Contains("calling the function get_time", request.LastUserText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tool_choice_required_asks_the_model_for_a_call()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("", FakeToolUse.Client("toolu_q1", "get_weather", """{"city":"Oslo"}""")));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };

        ChatCompletion completion = await gateway.OpenAiChat("sonnet").CompleteChatAsync([new UserChatMessage("Weather in Oslo?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Contains("by calling one or more of the available functions", upstream.MessageRequests[0].LastUserText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stateless_client_resending_the_history_with_its_tool_messages_continues_the_paused_turn(bool autoSessions)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("Let me look.", FakeToolUse.Client("toolu_h1", "get_weather", """{"city":"Lima"}""")));
        upstream.Enqueue(FakeReply.Text("Lima is mild."));
        upstream.Enqueue(FakeReply.Text("You are welcome."));
        await using var gateway = await TestGateway.StartAsync(
            upstream.BaseUrl, s => s["ClaudeActors:Sessions:AutoSessions"] = autoSessions ? "true" : "false");
        var chat = gateway.OpenAiChat("sonnet");
        List<ChatMessage> messages = [new SystemChatMessage("Be brief."), new UserChatMessage("Weather in Lima?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, WithWeather());
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_h1", "18C"));
        ChatCompletion second = await chat.CompleteChatAsync(messages, WithWeather());
        messages.Add(new AssistantChatMessage(second));
        messages.Add(new UserChatMessage("Thanks!"));
        ChatCompletion third = await chat.CompleteChatAsync(messages, WithWeather());

        Assert.Equal("toolu_h1", Assert.Single(first.ToolCalls).Id);
        Assert.Equal("Lima is mild.", second.Content[0].Text);
        Assert.Equal([("toolu_h1", "18C", false)], upstream.MessageRequests[1].ToolResults);
        Assert.Equal("You are welcome.", third.Content[0].Text);

        // The third request continued the same conversation: the upstream saw the whole tool round as real messages.
        var last = upstream.MessageRequests[2];
        Assert.Contains(last.Messages, m => m.GetRawText().Contains("\"tool_use_id\":\"toolu_h1\"", StringComparison.Ordinal));
        Assert.Equal("Thanks!", last.LastUserText);
    }

    [Fact]
    public async Task A_conversation_passivated_while_it_waits_on_tool_results_continues_from_the_journal()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("One moment.", FakeToolUse.Client("toolu_z1", "get_weather", """{"city":"Cairo"}""")));
        upstream.Enqueue(FakeReply.Text("Cairo is hot."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Sessions:TtlSeconds"] = "1";
            s["ClaudeActors:Sessions:SweepIntervalSeconds"] = "0.2";
        });
        var conversations = gateway.Get<ClaudeActors.Conversations.ConversationClient>();
        var chat = gateway.OpenAiChat("sonnet", "tools-sleepy");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Cairo?")];
        ChatCompletion first = await chat.CompleteChatAsync(messages, WithWeather());

        await Support.Eventually.TrueAsync(
            async () => await conversations.LiveConversationsAsync(default) == 0 && (await conversations.ProcessesAsync(default)).Warm == 0,
            "the conversation waiting on tool results was passivated");
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_z1", "41C"));
        ChatCompletion second = await chat.CompleteChatAsync(messages, WithWeather());

        Assert.Equal("Cairo is hot.", second.Content[0].Text);
        Assert.Equal(2, upstream.MessageRequests.Count);
        var resumed = upstream.MessageRequests[1].Body.GetRawText();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(resumed, "\"tool_use_id\":\"toolu_z1\""));
        Assert.Contains("41C", resumed, StringComparison.Ordinal);
        Assert.Single(upstream.MessageRequests[1].UserTexts, t => t.Contains("Weather in Cairo?", StringComparison.Ordinal));
    }
}
