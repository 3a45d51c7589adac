using ClaudeActors.Chat;

namespace ClaudeActors.UnitTests.Chat;

public sealed class ToolCallTextTests
{
    [Theory]
    [InlineData("""{"city": "Zürich", "days" : 2}""")]
    [InlineData("""{"city":"Z\u00fcrich","days":2}""")]
    [InlineData("""{"city":"Zürich","days":2}""")]
    public void JSON_arguments_read_the_same_whatever_their_spacing_and_escapes(string arguments)
    {
        Assert.Equal("""[called get_weather({"city":"Zürich","days":2}) as toolu_1]""", ToolCallText.Call("get_weather", arguments, "toolu_1"));
    }

    [Fact]
    public void Arguments_that_are_not_JSON_stay_as_they_are()
    {
        Assert.Equal("[called f({not json) as id]", ToolCallText.Call("f", "{not json", "id"));
    }
}
