using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.UnitTests.Chat;

public sealed class PromptComposerTests
{
    private const string SystemPrompt = "You are terse.";
    private const string Block = "<system_prompt>\nYou are terse.\n</system_prompt>";

    private static ChatTurnRequest Request(string? system, params CliMessage[] history) => new()
    {
        SystemPrompt = system,
        History = history,
        Prompt = [new CliTextBlock("now")],
    };

    private static CliMessage User(string text) => new(CliRole.User, [new CliTextBlock(text)]);

    private static CliMessage Assistant(string text) => new(CliRole.Assistant, [new CliTextBlock(text)]);

    private static string TextOf(CliContentBlock block) => Assert.IsType<CliTextBlock>(block).Text;

    [Fact]
    public void SystemBlock_WrapsThePromptInTags()
    {
        Assert.Equal(Block, PromptComposer.SystemBlock(SystemPrompt).Text);
    }

    [Fact]
    public void Compose_ConversationWithoutHistory_PutsTheBlockFirstInThePrompt()
    {
        var composed = PromptComposer.Compose(Request(SystemPrompt), SystemPromptMode.Conversation);

        Assert.Empty(composed.History);
        Assert.Equal(2, composed.Prompt.Count);
        Assert.Equal(Block, TextOf(composed.Prompt[0]));
        Assert.Equal("now", TextOf(composed.Prompt[1]));
        Assert.Null(composed.CliSystemPrompt);
    }

    [Fact]
    public void Compose_ConversationWithHistory_PutsTheBlockFirstInTheFirstUserMessage()
    {
        var composed = PromptComposer.Compose(Request(SystemPrompt, User("u1"), Assistant("a1")), SystemPromptMode.Conversation);

        Assert.Equal(2, composed.History.Count);
        var first = composed.History[0];
        Assert.Equal(CliRole.User, first.Role);
        Assert.Equal([Block, "u1"], first.Content.Select(TextOf));
        Assert.Equal(Assistant("a1").Content, composed.History[1].Content);
        Assert.Equal(["now"], composed.Prompt.Select(TextOf));
        Assert.Null(composed.CliSystemPrompt);
    }

    [Fact]
    public void Compose_ConversationWithHistoryStartingWithAssistant_AddsALeadingUserMessage()
    {
        var composed = PromptComposer.Compose(Request(SystemPrompt, Assistant("a0"), User("u1"), Assistant("a1")), SystemPromptMode.Conversation);

        Assert.Equal(4, composed.History.Count);
        Assert.Equal(CliRole.User, composed.History[0].Role);
        Assert.Equal([Block], composed.History[0].Content.Select(TextOf));
        Assert.Equal(CliRole.Assistant, composed.History[1].Role);
        Assert.Equal(["a0"], composed.History[1].Content.Select(TextOf));
        Assert.Equal(["u1"], composed.History[2].Content.Select(TextOf));
        Assert.Null(composed.CliSystemPrompt);
    }

    [Fact]
    public void Compose_Conversation_DoesNotChangeTheRequestHistory()
    {
        var request = Request(SystemPrompt, User("u1"), Assistant("a1"));

        PromptComposer.Compose(request, SystemPromptMode.Conversation);

        Assert.Equal(["u1"], request.History[0].Content.Select(TextOf));
    }

    [Theory]
    [InlineData(SystemPromptMode.Replace)]
    [InlineData(SystemPromptMode.Append)]
    public void Compose_ReplaceOrAppend_PassesTheSystemPromptToTheCli(SystemPromptMode mode)
    {
        var request = Request(SystemPrompt, User("u1"), Assistant("a1"));

        var composed = PromptComposer.Compose(request, mode);

        Assert.Equal(SystemPrompt, composed.CliSystemPrompt);
        Assert.Same(request.History, composed.History);
        Assert.Same(request.Prompt, composed.Prompt);
    }

    [Theory]
    [InlineData(SystemPromptMode.Conversation)]
    [InlineData(SystemPromptMode.Replace)]
    [InlineData(SystemPromptMode.Append)]
    public void Compose_NoSystemPrompt_LeavesTheTurnAsItIs(SystemPromptMode mode)
    {
        var request = Request(null, User("u1"), Assistant("a1"));

        var composed = PromptComposer.Compose(request, mode);

        Assert.Null(composed.CliSystemPrompt);
        Assert.Same(request.History, composed.History);
        Assert.Same(request.Prompt, composed.Prompt);
    }

    [Fact]
    public void Compose_ConversationWithImagePrompt_KeepsTheImageAfterTheBlock()
    {
        var request = new ChatTurnRequest
        {
            SystemPrompt = SystemPrompt,
            Prompt = [new CliImageBlock("image/png", "AAAA"), new CliTextBlock("what is it?")],
        };

        var composed = PromptComposer.Compose(request, SystemPromptMode.Conversation);

        Assert.Equal(3, composed.Prompt.Count);
        Assert.Equal(Block, TextOf(composed.Prompt[0]));
        Assert.IsType<CliImageBlock>(composed.Prompt[1]);
    }
}
