using System.Text.Json;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Conversations;
using ClaudeActors.Serialization;

namespace ClaudeActors.UnitTests.Serialization;

public sealed class ValueListTests
{
    [Fact]
    public void Lists_with_the_same_items_in_the_same_order_are_equal_and_hash_alike()
    {
        ValueList<string> one = ["a", "b"];
        ValueList<string> other = [.. new List<string> { "a", "b" }];

        Assert.Equal(one, other);
        Assert.True(one == other);
        Assert.Equal(one.GetHashCode(), other.GetHashCode());
        Assert.NotEqual(one, ["b", "a"]);
        Assert.NotEqual(one, ["a"]);
        Assert.Same(ValueList<string>.Empty, (ValueList<string>)[]);
    }

    [Fact]
    public void Records_with_list_members_compare_by_the_lists_items()
    {
        var usage = new CliUsage(1, 2, 0, 0);
        var first = new ChatCompleted("hi", ChatCompleted.ToolUse, usage, null) { ToolCalls = [new ChatToolCall(0, "call_1", "f", "{}")] };
        var second = new ChatCompleted("hi", ChatCompleted.ToolUse, usage, null) { ToolCalls = [new ChatToolCall(0, "call_1", "f", "{}")] };
        var third = second with { ToolCalls = [new ChatToolCall(0, "call_2", "f", "{}")] };

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, third);
    }

    [Fact]
    public void It_is_a_json_array_and_reads_back_equal()
    {
        var record = new ToolCallRecord("call_1", "get_weather", """{"city":"Paris"}""");
        ValueList<ToolCallRecord> list = [record];

        var json = JsonSerializer.Serialize(list, JsonMessageSerializer.Options);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(list, JsonSerializer.Deserialize<ValueList<ToolCallRecord>>(json, JsonMessageSerializer.Options));
        Assert.Same(ValueList<string>.Empty, JsonSerializer.Deserialize<ValueList<string>>("[]", JsonMessageSerializer.Options));
    }
}
