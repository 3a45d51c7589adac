using System.Text.Json;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.UnitTests.Cli;

public sealed class StreamJsonWriterTests
{
    // The 1x1 PNG the research fed through a real CLI transcript.
    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    private static JsonElement UserLine(params CliContentBlock[] content)
    {
        var line = StreamJsonWriter.UserMessage(content);
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    [Fact]
    public void UserMessage_TextBlock_HasTheShapeTheCliReads()
    {
        var root = UserLine(new CliTextBlock("hi"));

        Assert.Equal("user", root.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("parent_tool_use_id").ValueKind);
        var message = root.GetProperty("message");
        Assert.Equal("user", message.GetProperty("role").GetString());
        var block = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal("hi", block.GetProperty("text").GetString());
    }

    [Fact]
    public void UserMessage_TextBlock_IsExactlyTheDocumentedLine()
    {
        var line = StreamJsonWriter.UserMessage([new CliTextBlock("hi")]);

        Assert.Equal("""{"type":"user","message":{"role":"user","content":[{"type":"text","text":"hi"}]},"parent_tool_use_id":null}""", line);
    }

    [Fact]
    public void UserMessage_ImageAndTextBlocks_KeepOrderAndImageSource()
    {
        var root = UserLine(new CliImageBlock("image/png", OnePixelPng), new CliTextBlock("What is this?"));

        var blocks = root.GetProperty("message").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(2, blocks.Count);
        Assert.Equal("image", blocks[0].GetProperty("type").GetString());
        var source = blocks[0].GetProperty("source");
        Assert.Equal("base64", source.GetProperty("type").GetString());
        Assert.Equal("image/png", source.GetProperty("media_type").GetString());
        Assert.Equal(OnePixelPng, source.GetProperty("data").GetString());
        Assert.Equal("text", blocks[1].GetProperty("type").GetString());
        Assert.Equal("What is this?", blocks[1].GetProperty("text").GetString());
    }

    [Fact]
    public void ControlRequest_Interrupt_HasTheShapeTheCliReads()
    {
        var line = StreamJsonWriter.ControlRequest("req_1", "interrupt");

        Assert.Equal("""{"type":"control_request","request_id":"req_1","request":{"subtype":"interrupt"}}""", line);
    }

    [Fact]
    public void SetModelRequest_WithAndWithoutModel_HasTheShapeTheCliReads()
    {
        Assert.Equal(
            """{"type":"control_request","request_id":"req_2","request":{"subtype":"set_model","model":"sonnet"}}""",
            StreamJsonWriter.SetModelRequest("req_2", "sonnet"));
        Assert.Equal(
            """{"type":"control_request","request_id":"req_3","request":{"subtype":"set_model"}}""",
            StreamJsonWriter.SetModelRequest("req_3", null));
    }

    [Fact]
    public void ClearCommand_IsTheLiteralSlashClearUserLine()
    {
        Assert.Equal(
            """{"type":"user","message":{"role":"user","content":[{"type":"text","text":"/clear"}]},"parent_tool_use_id":null}""",
            StreamJsonWriter.ClearCommand());
    }

    [Fact]
    public void UserMessage_ClientTextSlashClear_NeverBecomesTheHostsClearLine()
    {
        var line = StreamJsonWriter.UserMessage([new CliTextBlock("/clear")]);

        Assert.NotEqual(StreamJsonWriter.ClearCommand(), line);
        Assert.DoesNotContain("\"text\":\"/clear\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void UserMessage_TextWithNewlines_IsWrittenOnOneLine()
    {
        var text = "line one\nline two\r\nline three\u2028four\u2029five";

        var line = StreamJsonWriter.UserMessage([new CliTextBlock(text)]);

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\u2028', line);
        Assert.DoesNotContain('\u2029', line);
        using var document = JsonDocument.Parse(line);
        Assert.Equal(text, document.RootElement.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("Grüße aus Köln")]
    [InlineData("日本語のテキスト")]
    [InlineData("emoji 🌍👩‍💻 and \"quotes\" and \\ backslash")]
    [InlineData("<script>&amp;</script>")]
    [InlineData("tab\there, nul \0 too")]
    public void UserMessage_UnicodeAndSpecialCharacters_SurviveTheRoundTrip(string text)
    {
        var root = UserLine(new CliTextBlock(text));

        Assert.Equal(text, root.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void UserMessage_ControlRequestIdWithQuotes_IsEscaped()
    {
        var line = StreamJsonWriter.ControlRequest("req\"1\n", "interrupt");

        Assert.DoesNotContain('\n', line);
        using var document = JsonDocument.Parse(line);
        Assert.Equal("req\"1\n", document.RootElement.GetProperty("request_id").GetString());
    }
}
