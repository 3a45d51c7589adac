using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.UnitTests.Cli;

public sealed class LiteralInputTests
{
    private static IReadOnlyList<string> Texts(IReadOnlyList<CliContentBlock> content) =>
        [.. content.Select(block => block is CliTextBlock text ? text.Text : "<image>")];

    [Theory]
    [InlineData("hello")]
    [InlineData("a/b and c/d")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/")]
    [InlineData("@")]
    [InlineData("  /  ")]
    public void Protect_TextTheCliCannotInterpret_IsLeftAlone(string text)
    {
        IReadOnlyList<CliContentBlock> content = [new CliTextBlock(text)];

        Assert.Same(content, LiteralInput.Protect(content));
    }

    [Theory]
    [InlineData("/model opus", "/model opu", "s")]
    [InlineData("  /config set language french", "  /config set language frenc", "h")]
    [InlineData("read @/etc/hostname", "read @/etc/hostnam", "e")]
    [InlineData("mail me at a@b.c \n\n", "mail me at a@b.", "c \n\n")]
    [InlineData("/heapdump 👍🏽", "/heapdump ", "👍🏽")]
    [InlineData("/x e\u0301", "/x ", "e\u0301")]
    public void Protect_LastBlockTheCliWouldInterpret_EndsWithItsLastVisibleCharacterAlone(string text, string head, string tail)
    {
        var protectedContent = LiteralInput.Protect([new CliTextBlock(text)]);

        Assert.Equal([head, tail], Texts(protectedContent));
        Assert.Equal(text, string.Concat(Texts(protectedContent)));
    }

    [Fact]
    public void Protect_EarlierBlocksAndImages_StayAsTheyAre()
    {
        var image = new CliImageBlock("image/png", "AAAA");

        Assert.Equal(["<system_prompt>x</system_prompt>", "<image>", "/model opu", "s"], Texts(LiteralInput.Protect(
            [new CliTextBlock("<system_prompt>x</system_prompt>"), image, new CliTextBlock("/model opus")])));
        Assert.Equal(["/model opus", "<image>"], Texts(LiteralInput.Protect([new CliTextBlock("/model opus"), image])));
    }

    [Fact]
    public void UserMessage_SlashCommand_IsWrittenAsTwoTextBlocks()
    {
        var line = StreamJsonWriter.UserMessage([new CliTextBlock("/clear")]);

        Assert.Equal(
            """{"type":"user","message":{"role":"user","content":[{"type":"text","text":"/clea"},{"type":"text","text":"r"}]},"parent_tool_use_id":null}""",
            line);
    }
}
