using System.Text.Json;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using static ClaudeActors.IntegrationTests.Responses.ResponsesApi;

namespace ClaudeActors.IntegrationTests.Responses;

/// <summary>
/// The Responses stream byte for byte (real CLI, fake upstream): the exact event order of a text answer, of parallel
/// function calls after text, of a failure after the start and of an answer cut by <c>max_output_tokens</c>.
/// </summary>
public sealed class ResponseStreamTests
{
    private const string Weather = """{"type":"function","name":"get_weather","description":"The weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";

    [Fact]
    public async Task A_text_answer_streams_every_event_in_order_with_gapless_sequence_numbers()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Hello from the stream!", chunkCount: 3, usage: new FakeUsage(12, 7, 30, 4)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var events = await StreamAsync(gateway, """{"model":"sonnet","input":"Say hello","stream":true,"metadata":{"run":"1"}}""");

        var types = events.Select(Type).ToList();
        var deltas = types.Count(t => t == "response.output_text.delta");
        Assert.True(deltas >= 1);
        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                .. Enumerable.Repeat("response.output_text.delta", deltas),
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            types);
        var created = events[0].GetProperty("response");
        Assert.Equal("in_progress", Str(created, "status"));
        Assert.Equal(0, created.GetProperty("output").GetArrayLength());
        var id = Str(created, "id");
        Assert.StartsWith("resp_", id, StringComparison.Ordinal);

        var itemId = Str(events[2].GetProperty("item"), "id");
        Assert.StartsWith("msg_", itemId, StringComparison.Ordinal);
        var textEvents = events.Where(e => Type(e).StartsWith("response.output_text", StringComparison.Ordinal) || Type(e).StartsWith("response.content_part", StringComparison.Ordinal)).ToList();
        Assert.All(textEvents, e => Assert.Equal(itemId, Str(e, "item_id")));
        Assert.All(textEvents, e => Assert.Equal(0, e.GetProperty("output_index").GetInt32()));
        var streamed = string.Concat(events.Where(e => Type(e) == "response.output_text.delta").Select(e => Str(e, "delta")));
        Assert.Equal("Hello from the stream!", streamed);
        Assert.Equal(streamed, Str(events[^4], "text"));
        Assert.Equal(streamed, Str(events[^3].GetProperty("part"), "text"));

        var completed = events[^1].GetProperty("response");
        Assert.Equal(id, Str(completed, "id"));
        Assert.Equal("completed", Str(completed, "status"));
        Assert.Equal(streamed, Str(completed.GetProperty("output")[0].GetProperty("content")[0], "text"));
        Assert.Equal("1", Str(completed.GetProperty("metadata"), "run"));
        var usage = completed.GetProperty("usage");
        Assert.Equal(12 + 30 + 4, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(30, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(12 + 30 + 4 + 7, usage.GetProperty("total_tokens").GetInt32());

        // The stored response is the stream's final object.
        var (status, _, raw) = await SendAsync(gateway, HttpMethod.Get, "v1/responses/" + id);
        Assert.Equal(200, status);
        Assert.Equal(completed.GetRawText(), raw);
    }

    [Fact]
    public async Task Parallel_calls_after_text_stream_as_a_message_item_then_one_function_call_item_each()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls(
            "Checking both.",
            FakeToolUse.Client("toolu_s1", "get_weather", """{"city":"Paris"}"""),
            FakeToolUse.Client("toolu_s2", "get_weather", """{"city":"Rome"}""")));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var events = await StreamAsync(gateway, $$"""{"model":"sonnet","input":"Weather in Paris and Rome?","tools":[{{Weather}}],"stream":true}""");

        var types = events.Select(Type).ToList();
        var textDeltas = types.Count(t => t == "response.output_text.delta");
        var argumentDeltas1 = CountArgumentDeltas(events, 1);
        var argumentDeltas2 = CountArgumentDeltas(events, 2);
        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added",
                .. Enumerable.Repeat("response.output_text.delta", textDeltas),
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", .. Enumerable.Repeat("response.function_call_arguments.delta", argumentDeltas1),
                "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", .. Enumerable.Repeat("response.function_call_arguments.delta", argumentDeltas2),
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            types);
        Assert.True(argumentDeltas1 >= 1 && argumentDeltas2 >= 1);

        var added = events.Where(e => Type(e) == "response.output_item.added").Select(e => e.GetProperty("item")).ToList();
        var done = events.Where(e => Type(e) == "response.output_item.done").Select(e => e.GetProperty("item")).ToList();
        Assert.Equal(["message", "function_call", "function_call"], added.Select(i => Str(i, "type")));
        Assert.Equal(["toolu_s1", "toolu_s2"], added.Skip(1).Select(i => Str(i, "call_id")));
        Assert.Equal(["toolu_s1", "toolu_s2"], done.Skip(1).Select(i => Str(i, "call_id")));
        Assert.All(done, i => Assert.Equal("completed", Str(i, "status")));
        Assert.Equal(["Paris", "Rome"], done.Skip(1).Select(i => JsonDocument.Parse(Str(i, "arguments")).RootElement.GetProperty("city").GetString()));
        foreach (var argumentsDone in events.Where(e => Type(e) == "response.function_call_arguments.done"))
        {
            Assert.Equal("get_weather", Str(argumentsDone, "name"));
        }

        var completed = events[^1].GetProperty("response");
        Assert.Equal("completed", Str(completed, "status"));
        Assert.Equal(
            done.Select(i => i.GetRawText()),
            completed.GetProperty("output").EnumerateArray().Select(i => i.GetRawText()));
    }

    [Fact]
    public async Task A_failure_after_the_start_sends_an_error_event_then_response_failed()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.BrokenStream("Partial answ"));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var events = await StreamAsync(gateway, """{"model":"sonnet","input":"go","stream":true}""");

        Assert.Equal(["error", "response.failed"], events.TakeLast(2).Select(Type));
        Assert.Equal(["response.created", "response.in_progress"], events.Take(2).Select(Type));
        var error = events[^2];
        Assert.False(string.IsNullOrEmpty(Str(error, "code")));
        Assert.False(string.IsNullOrEmpty(Str(error, "message")));
        Assert.False(error.TryGetProperty("error", out _));
        var failed = events[^1].GetProperty("response");
        Assert.Equal("failed", Str(failed, "status"));
        Assert.Equal(Str(error, "code"), Str(failed.GetProperty("error"), "code"));
        Assert.Single(upstream.MessageRequests);
    }

    [Fact]
    public async Task An_answer_cut_by_max_output_tokens_ends_in_response_incomplete()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        // The CLI asks the model to go on after a max_tokens stop: only an answer that keeps hitting the limit is cut.
        upstream.DefaultReply = FakeReply.Text("cut sho", stopReason: "max_tokens");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var events = await StreamAsync(gateway, """{"model":"sonnet","input":"Write a lot","max_output_tokens":16,"stream":true}""");

        Assert.Equal(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.incomplete"], events.TakeLast(4).Select(Type));
        Assert.Equal("incomplete", Str(events[^2].GetProperty("item"), "status"));
        var incomplete = events[^1].GetProperty("response");
        Assert.Equal("incomplete", Str(incomplete, "status"));
        Assert.Equal("max_output_tokens", Str(incomplete.GetProperty("incomplete_details"), "reason"));
        Assert.Equal(16, incomplete.GetProperty("max_output_tokens").GetInt32());
        Assert.All(upstream.MessageRequests, r => Assert.Equal(16, r.MaxTokens));
        var streamed = string.Concat(events.Where(e => Type(e) == "response.output_text.delta").Select(e => Str(e, "delta")));
        Assert.StartsWith("cut sho", streamed, StringComparison.Ordinal);
        Assert.Equal(streamed, Str(incomplete.GetProperty("output")[0].GetProperty("content")[0], "text"));
    }

    private static int CountArgumentDeltas(List<JsonElement> events, int outputIndex) =>
        events.Count(e => Type(e) == "response.function_call_arguments.delta" && e.GetProperty("output_index").GetInt32() == outputIndex);
}
