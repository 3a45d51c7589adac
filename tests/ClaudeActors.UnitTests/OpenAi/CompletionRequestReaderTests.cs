using System.Text.Json;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.OpenAi.Completions;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.OpenAi;

public sealed class CompletionRequestReaderTests
{
    private static ParsedCompletionRequest Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Reader().Read(document.RootElement);
    }

    private static RequestValidationException Refused(string json)
    {
        using var document = JsonDocument.Parse(json);
        var reader = Reader();
        var root = document.RootElement;
        return Assert.Throws<RequestValidationException>(() => reader.Read(root));
    }

    private static CompletionRequestReader Reader() =>
        new(new ModelCatalog(Options.Create(new ModelOptions()), TimeProvider.System));

    private static List<string> Texts(IEnumerable<CliContentBlock> blocks) => [.. blocks.Select(b => Assert.IsType<CliTextBlock>(b).Text)];

    [Fact]
    public void Read_StringPrompt_GivesOneTurnThatAsksToContinueTheTextAsSent()
    {
        var parsed = Read("""{"model":"gpt-4o","prompt":"Once upon a time","max_tokens":50}""");

        var turn = Assert.Single(parsed.Turns);
        Assert.Equal([CompletionPrompt.Instruction, "Once upon a time"], Texts(turn.Prompt));
        Assert.Equal("sonnet", turn.Model);
        Assert.Equal(50, turn.MaxOutputTokens);
        Assert.Empty(turn.History);
        Assert.Null(turn.SystemPrompt);
        Assert.Empty(turn.Tools);
        Assert.Equal("gpt-4o", parsed.RequestedModel);
        Assert.False(parsed.Stream);
        Assert.False(parsed.IncludeUsage);
        Assert.Empty(parsed.Stop);
    }

    [Fact]
    public void Read_ArrayPrompt_GivesOneTurnPerStringInOrder()
    {
        var parsed = Read("""{"model":"haiku","prompt":["one","two","three"],"max_tokens":7}""");

        Assert.Equal(["one", "two", "three"], parsed.Turns.Select(t => Texts(t.Prompt)[1]));
        Assert.All(parsed.Turns, t => Assert.Equal(7, t.MaxOutputTokens));
        Assert.All(parsed.Turns, t => Assert.Equal("haiku", t.Model));
    }

    [Fact]
    public void Read_WithoutMaxTokens_LeavesTheLimitToTheCli()
    {
        Assert.Null(Assert.Single(Read("""{"prompt":"x"}""").Turns).MaxOutputTokens);
    }

    [Fact]
    public void Read_StreamOptionsAndStop_AreTaken()
    {
        var parsed = Read("""{"prompt":"x","stream":true,"stream_options":{"include_usage":true},"stop":["\n\n","END"]}""");

        Assert.True(parsed.Stream);
        Assert.True(parsed.IncludeUsage);
        Assert.Equal(["\n\n", "END"], parsed.Stop);
        Assert.Equal(["."], Read("""{"prompt":"x","stop":"."}""").Stop);
    }

    [Fact]
    public void Read_ParametersTheCliHasNoKnobFor_AreAcceptedAsChatAcceptsThem()
    {
        var parsed = Read("""
            {"prompt":"x","temperature":0.2,"top_p":0.9,"user":"u-1","seed":42,"frequency_penalty":0.5,"presence_penalty":-0.5,
             "logit_bias":{"50256":-100},"n":1,"best_of":1,"echo":false,"logprobs":null,"suffix":null}
            """);

        Assert.Single(parsed.Turns);
        Assert.Single(Read("""{"prompt":"x","suffix":""}""").Turns);
    }

    [Theory]
    [InlineData("""{"prompt":"x","suffix":"the end"}""", "suffix")]
    [InlineData("""{"prompt":"x","echo":true}""", "echo")]
    [InlineData("""{"prompt":"x","logprobs":0}""", "logprobs")]
    [InlineData("""{"prompt":"x","logprobs":5}""", "logprobs")]
    [InlineData("""{"prompt":"x","best_of":2}""", "best_of")]
    [InlineData("""{"prompt":"x","n":2}""", "n")]
    [InlineData("""{"prompt":"x","n":"2"}""", "n")]
    [InlineData("""{"prompt":"x","echo":"yes"}""", "echo")]
    [InlineData("""{"prompt":"x","temperature":3}""", "temperature")]
    [InlineData("""{"prompt":"x","top_p":-1}""", "top_p")]
    [InlineData("""{"prompt":"x","max_tokens":0}""", "max_tokens")]
    [InlineData("""{"prompt":"x","stop":["a","b","c","d","e"]}""", "stop")]
    [InlineData("""{"prompt":"x","stream":"yes"}""", "stream")]
    [InlineData("""{"prompt":"x","model":42}""", "model")]
    public void Read_UnsupportedOrInvalidParameter_IsRefusedNamingIt(string json, string param)
    {
        Assert.Equal(param, Refused(json).Param);
    }

    [Theory]
    [InlineData("""{"prompt":"x","suffix":"the end"}""", "suffix is not supported")]
    [InlineData("""{"prompt":"x","echo":true}""", "echo is not supported")]
    [InlineData("""{"prompt":"x","logprobs":1}""", "logprobs is not supported")]
    [InlineData("""{"prompt":"x","best_of":3}""", "best_of=1")]
    [InlineData("""{"prompt":"x","n":4}""", "n=1")]
    public void Read_RefusedParameter_SaysWhy(string json, string message)
    {
        Assert.Contains(message, Refused(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"prompt":[1212, 318, 257]}""")]
    [InlineData("""{"prompt":[[1212, 318], [257]]}""")]
    [InlineData("""{"prompt":["text", [257]]}""")]
    public void Read_TokenArrayPrompt_IsRefusedAsPrompt(string json)
    {
        var refused = Refused(json);

        Assert.Equal("prompt", refused.Param);
        Assert.Contains("token ids", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"sonnet"}""")]
    [InlineData("""{"prompt":null}""")]
    [InlineData("""{"prompt":""}""")]
    [InlineData("""{"prompt":[]}""")]
    [InlineData("""{"prompt":["a",""]}""")]
    [InlineData("""{"prompt":["a",true]}""")]
    [InlineData("""{"prompt":{"text":"a"}}""")]
    [InlineData("""{"prompt":"\ud800"}""")]
    public void Read_MissingEmptyOrMisshapenPrompt_IsRefusedAsPrompt(string json)
    {
        Assert.Equal("prompt", Refused(json).Param);
    }

    [Fact]
    public void Read_MorePromptsThanTheLimit_IsRefused()
    {
        var prompts = JsonSerializer.Serialize(Enumerable.Range(0, CompletionRequestReader.MaxPrompts + 1).Select(i => $"p{i}"));
        Assert.Equal("prompt", Refused("{\"prompt\":" + prompts + "}").Param);

        var most = JsonSerializer.Serialize(Enumerable.Range(0, CompletionRequestReader.MaxPrompts).Select(i => $"p{i}"));
        Assert.Equal(CompletionRequestReader.MaxPrompts, Read("{\"prompt\":" + most + "}").Turns.Count);
    }

    [Fact]
    public void Read_BodyThatIsNotAnObject_IsRefused()
    {
        Assert.Null(Refused("""["x"]""").Param);
    }
}
