using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Messages;

/// <summary>
/// Client tools on the Messages API: the answer's <c>tool_use</c> blocks, and the next request's <c>tool_result</c>
/// blocks continuing the same paused model turn (found again by the resent history, with no conversation id), through
/// the Anthropic SDK, plain and streamed.
/// </summary>
public sealed class MessagesToolTests
{
    private static readonly Tool Weather = new()
    {
        Name = "get_weather",
        Description = "The weather in a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
            Required = ["city"],
        },
    };

    private static MessageCreateParams Request(List<MessageParam> messages) => new()
    {
        Model = "sonnet",
        MaxTokens = 1024,
        Tools = [Weather],
        Messages = messages,
    };

    /// <summary>The assistant message a client sends back: the answer's text and tool_use blocks.</summary>
    private static AssistantMessageParam Echo(Message answer)
    {
        List<ContentBlockParam> blocks = [];
        foreach (var block in answer.Content)
        {
            if (block.TryPickText(out var text))
            {
                blocks.Add(new TextBlockParam(text.Text));
            }
            else if (block.TryPickToolUse(out var call))
            {
                blocks.Add(new ToolUseBlockParam { ID = call.ID, Name = call.Name, Input = call.Input });
            }
        }

        return new AssistantMessageParam(blocks);
    }

    private static UserMessageParam Result(string id, string content) =>
        new(new List<ContentBlockParam> { new ToolResultBlockParam(id) { Content = content } });

    private static string TextOf(Message message) =>
        string.Concat(message.Content.Select(block => block.TryPickText(out var text) ? text.Text : ""));

    [Fact]
    public async Task A_tool_loop_returns_tool_use_blocks_and_the_results_continue_the_same_turn()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("Let me check.", FakeToolUse.Client("toolu_a1", "get_weather", """{"city": "Paris"}""")));
        upstream.Enqueue(FakeReply.Text("Paris is sunny, 22C."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = AnthropicClients.For(gateway);
        List<MessageParam> messages = [new UserMessageParam("Weather in Paris?")];

        var first = await client.Messages.Create(Request(messages));

        Assert.Equal("tool_use", first.StopReason?.Raw());
        Assert.Equal("Let me check.", TextOf(first));
        var call = first.Content.Select(b => b.TryPickToolUse(out var c) ? c : null).OfType<ToolUseBlock>().Single();
        Assert.Equal("toolu_a1", call.ID);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Input["city"].GetString());
        Assert.NotNull(call.Caller);
        Assert.Contains("mcp__client__get_weather", upstream.MessageRequests[0].ToolNames);

        messages.Add(Echo(first));
        messages.Add(Result("toolu_a1", "22C and sunny"));
        var second = await client.Messages.Create(Request(messages));

        Assert.Equal("end_turn", second.StopReason?.Raw());
        Assert.Equal("Paris is sunny, 22C.", TextOf(second));
        Assert.Equal([("toolu_a1", "22C and sunny", false)], upstream.MessageRequests[1].ToolResults);
        Assert.Equal(2, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task A_streamed_tool_loop_sends_input_json_deltas_that_the_SDK_aggregates()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls(
            "Checking both.",
            FakeToolUse.Client("toolu_s1", "get_weather", """{"city":"Paris"}"""),
            FakeToolUse.Client("toolu_s2", "get_weather", """{"city":"Zürich"}""")));
        upstream.Enqueue(FakeReply.Text("Both are mild."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = AnthropicClients.For(gateway);
        List<MessageParam> messages = [new UserMessageParam("Weather in Paris and Zürich?")];

        var first = await client.Messages.CreateStreaming(Request(messages)).Aggregate();

        Assert.Equal("tool_use", first.StopReason?.Raw());
        Assert.Equal("Checking both.", TextOf(first));
        var calls = first.Content.Select(b => b.TryPickToolUse(out var c) ? c : null).OfType<ToolUseBlock>().ToList();
        Assert.Equal(["toolu_s1", "toolu_s2"], calls.Select(c => c.ID));
        Assert.Equal(["Paris", "Zürich"], calls.Select(c => c.Input["city"].GetString()));

        messages.Add(Echo(first));
        messages.Add(new UserMessageParam(new List<ContentBlockParam>
        {
            new ToolResultBlockParam("toolu_s1") { Content = "18C" },
            new ToolResultBlockParam("toolu_s2") { Content = "15C" },
        }));
        var second = await client.Messages.CreateStreaming(Request(messages)).Aggregate();

        Assert.Equal("Both are mild.", TextOf(second));
        Assert.Equal([("toolu_s1", "18C", false), ("toolu_s2", "15C", false)], upstream.MessageRequests[1].ToolResults);
        Assert.Equal(2, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task The_raw_tool_use_stream_opens_a_block_per_call_with_an_empty_input_then_input_json_deltas()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("", FakeToolUse.Client("toolu_r1", "get_weather", """{"city":"Oslo"}""")));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await AnthropicClients.PostAsync(gateway, """
            {"model":"sonnet","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Oslo?"}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"tool","name":"get_weather"}}
            """);

        var events = AnthropicClients.Events(await response.Content.ReadAsStringAsync());
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        var start = events.Single(e => e.Name == "content_block_start").Data;
        var block = start.GetProperty("content_block");
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("toolu_r1", block.GetProperty("id").GetString());
        Assert.Empty(block.GetProperty("input").EnumerateObject());
        var json = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e =>
        {
            Assert.Equal("input_json_delta", e.Data.GetProperty("delta").GetProperty("type").GetString());
            return e.Data.GetProperty("delta").GetProperty("partial_json").GetString();
        }));
        Assert.Equal("Oslo", JsonDocument.Parse(json).RootElement.GetProperty("city").GetString());
        Assert.Equal("tool_use", events.Single(e => e.Name == "message_delta").Data.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal("message_stop", events[^1].Name);
        Assert.Contains("(Answer this message by calling the function get_weather.)", upstream.MessageRequests[0].LastUserText, StringComparison.Ordinal);
    }
}
