using System.Text.Json;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.OpenAi;

public sealed class ChatRequestParserTests
{
    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    private static ChatRequestParser CreateParser(ModelOptions? options = null) =>
        new(new ModelCatalog(Options.Create(options ?? new ModelOptions()), TimeProvider.System));

    private static ParsedChatRequest Parse(string json, ModelOptions? options = null)
    {
        using var document = JsonDocument.Parse(json);
        return CreateParser(options).Parse(document.RootElement);
    }

    /// <summary>A request with <paramref name="messages"/> and any more top-level members.</summary>
    private static ParsedChatRequest ParseWith(string messages, string extra = "") => Parse(Body(messages, extra));

    private static RequestValidationException Refused(string json)
    {
        using var document = JsonDocument.Parse(json);
        var parser = CreateParser();
        var root = document.RootElement;
        return Assert.Throws<RequestValidationException>(() => parser.Parse(root));
    }

    private static RequestValidationException RefusedWith(string messages, string extra = "") => Refused(Body(messages, extra));

    private static string Body(string messages, string extra = "") =>
        "{\"model\":\"gpt-4o\",\"messages\":" + messages + (extra.Length > 0 ? "," + extra : "") + "}";

    private static string WithModel(string modelJson) => "{\"model\":" + modelJson + ",\"messages\":" + Hi + "}";

    private static IEnumerable<string> Texts(IEnumerable<CliContentBlock> blocks) => blocks.Select(b => Assert.IsType<CliTextBlock>(b).Text);

    private static string ImageMessage(string url) =>
        """[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":""" + JsonSerializer.Serialize(url) + "}}]}]";

    [Fact]
    public void Parse_SimpleRequest_GivesPromptAndDefaults()
    {
        var parsed = ParseWith(Hi);

        Assert.Equal(["hi"], Texts(parsed.Turn.Prompt));
        Assert.Empty(parsed.Turn.History);
        Assert.Null(parsed.Turn.SystemPrompt);
        Assert.Null(parsed.Turn.Effort);
        Assert.Null(parsed.Turn.MaxOutputTokens);
        Assert.False(parsed.Stream);
        Assert.False(parsed.IncludeUsage);
        Assert.Empty(parsed.Stop);
        Assert.Equal("gpt-4o", parsed.RequestedModel);
    }

    [Fact]
    public void Parse_SystemAndDeveloperMessages_AreJoinedIntoTheSystemPrompt()
    {
        var parsed = ParseWith("""
            [{"role":"system","content":"Be terse."},
             {"role":"developer","content":[{"type":"text","text":"Answer in "},{"type":"text","text":"French."}]},
             {"role":"user","content":"hi"},
             {"role":"system","content":""}]
            """);

        Assert.Equal("Be terse.\n\nAnswer in French.", parsed.Turn.SystemPrompt);
        Assert.Equal(["hi"], Texts(parsed.Turn.Prompt));
    }

    [Fact]
    public void Parse_History_IsEverythingBeforeTheTrailingUserMessages()
    {
        var parsed = ParseWith("""
            [{"role":"user","content":"u1"},
             {"role":"assistant","content":"a1"},
             {"role":"user","content":"u2"},
             {"role":"user","content":[{"type":"text","text":"u3"}]}]
            """);

        Assert.Equal(2, parsed.Turn.History.Count);
        Assert.Equal(CliRole.User, parsed.Turn.History[0].Role);
        Assert.Equal(["u1"], Texts(parsed.Turn.History[0].Content));
        Assert.Equal(CliRole.Assistant, parsed.Turn.History[1].Role);
        Assert.Equal(["a1"], Texts(parsed.Turn.History[1].Content));
        Assert.Equal(["u2", "u3"], Texts(parsed.Turn.Prompt));
    }

    [Fact]
    public void Parse_LastMessageNotUser_IsRefused()
    {
        var error = RefusedWith("""[{"role":"user","content":"u1"},{"role":"assistant","content":"a1"}]""");

        Assert.Equal("messages", error.Param);
    }

    [Fact]
    public void Parse_OnlySystemMessages_IsRefused()
    {
        var error = RefusedWith("""[{"role":"system","content":"Be terse."}]""");

        Assert.Equal("messages", error.Param);
    }

    [Fact]
    public void Parse_EmptyLastUserMessage_IsRefused()
    {
        var error = RefusedWith("""[{"role":"user","content":""}]""");

        Assert.Equal("messages", error.Param);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("1.5")]
    public void Parse_NOtherThanOne_IsRefused(string n)
    {
        var error = RefusedWith(Hi, $"\"n\":{n}");

        Assert.Equal("n", error.Param);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("true")]
    public void Parse_NThatIsNotANumber_IsRefusedWith400(string n)
    {
        var error = RefusedWith(Hi, $"\"n\":{n}");

        Assert.Equal("n", error.Param);
    }

    [Theory]
    [InlineData("\"n\":1")]
    [InlineData("\"n\":null")]
    public void Parse_NOneOrNull_IsAccepted(string extra)
    {
        Assert.NotNull(ParseWith(Hi, extra));
    }

    [Fact]
    public void Parse_EmptyTools_IsAccepted()
    {
        Assert.NotNull(ParseWith(Hi, "\"tools\":[]"));
    }

    [Fact]
    public void Parse_ToolRoleMessage_IsRefused()
    {
        var error = RefusedWith("""[{"role":"tool","tool_call_id":"c1","content":"42"},{"role":"user","content":"hi"}]""");

        Assert.Equal("messages[0].role", error.Param);
    }

    [Fact]
    public void Parse_ResponseFormatJsonObject_IsTheSchemaOfAnyObject()
    {
        var parsed = ParseWith(Hi, "\"response_format\":" + """{"type":"json_object"}""");

        Assert.Equal("""{"type":"object"}""", parsed.Turn.JsonSchema);
    }

    [Fact]
    public void Parse_ResponseFormatJsonSchema_IsTheCompactSchema()
    {
        var parsed = ParseWith(Hi, "\"response_format\":" + """
            {"type":"json_schema","json_schema":{"name":"person-1","strict":true,
              "schema":{ "type": "object", "properties": { "address": { "type": "object", "properties": { "city": { "type": "string" } } } } }}}
            """);

        Assert.Equal("""{"type":"object","properties":{"address":{"type":"object","properties":{"city":{"type":"string"}}}}}""", parsed.Turn.JsonSchema);
    }

    [Fact]
    public void Parse_ResponseFormatDescription_GoesToTheRootOfTheSchemaUnlessItHasOne()
    {
        var parsed = ParseWith(Hi, "\"response_format\":" + """{"type":"json_schema","json_schema":{"name":"x","description":"A person","schema":{"type":"object"}}}""");
        var kept = ParseWith(Hi, "\"response_format\":" + """{"type":"json_schema","json_schema":{"name":"x","description":"A person","schema":{"type":"object","description":"Mine"}}}""");

        Assert.Equal("""{"type":"object","description":"A person"}""", parsed.Turn.JsonSchema);
        Assert.Equal("""{"type":"object","description":"Mine"}""", kept.Turn.JsonSchema);
    }

    [Fact]
    public void Parse_ResponseFormatJsonSchemaWithoutSchema_IsAnyObject()
    {
        Assert.Equal("""{"type":"object"}""", ParseWith(Hi, "\"response_format\":" + """{"type":"json_schema","json_schema":{"name":"x"}}""").Turn.JsonSchema);
    }

    [Fact]
    public void Parse_NoResponseFormat_HasNoSchema()
    {
        Assert.Null(ParseWith(Hi).Turn.JsonSchema);
        Assert.Null(ParseWith(Hi, "\"response_format\":null").Turn.JsonSchema);
    }

    [Fact]
    public void Parse_ResponseFormatWithTools_IsRefused()
    {
        var error = RefusedWith(Hi, "\"response_format\":{\"type\":\"json_object\"},\"tools\":" + """[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]""");

        Assert.Equal("response_format", error.Param);
    }

    [Theory]
    [InlineData("""{"type":"xml"}""", "response_format.type", null)]
    [InlineData("""{}""", "response_format.type", null)]
    [InlineData("\"json\"", "response_format", null)]
    [InlineData("""{"type":"json_schema"}""", "response_format.json_schema", null)]
    [InlineData("""{"type":"json_schema","json_schema":{"schema":{"type":"object"}}}""", "response_format.json_schema.name", null)]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"a b","schema":{"type":"object"}}}""", "response_format.json_schema.name", null)]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","strict":"yes","schema":{"type":"object"}}}""", "response_format.json_schema.strict", null)]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":[]}}""", "response_format.json_schema.schema", "invalid_json_schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"string"}}}""", "response_format.json_schema.schema", "invalid_json_schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":{"properties":{}}}}""", "response_format.json_schema.schema", "invalid_json_schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","description":"\ud800"}}}""", "response_format.json_schema.schema", "invalid_json_schema")]
    public void Parse_BadResponseFormat_IsRefusedNamingTheParameter(string format, string param, string? code)
    {
        var error = RefusedWith(Hi, $"\"response_format\":{format}");

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Parse_StopWithAJsonResponseFormat_IsRefused()
    {
        var error = RefusedWith(Hi, "\"stop\":\"}\",\"response_format\":" + """{"type":"json_object"}""");

        Assert.Equal("stop", error.Param);
    }

    [Fact]
    public void Parse_ResponseFormatSchemaTooLarge_IsRefused()
    {
        var properties = string.Join(",", Enumerable.Range(0, 3000).Select(i => $"\"property_{i}\":{{\"type\":\"string\"}}"));
        var error = RefusedWith(Hi, "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\",\"properties\":{" + properties + "}}}}");

        Assert.Equal("response_format.json_schema.schema", error.Param);
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ResponseFormatText_IsAccepted()
    {
        Assert.NotNull(ParseWith(Hi, "\"response_format\":" + """{"type":"text"}"""));
    }

    [Fact]
    public void Parse_RemoteImageUrl_IsRefusedWithInvalidImageUrl()
    {
        var error = RefusedWith(ImageMessage("https://example.com/cat.png"));

        Assert.Equal("invalid_image_url", error.Code);
        Assert.Equal("messages[0].content[1].image_url.url", error.Param);
    }

    [Fact]
    public void Parse_PngDataUrl_GivesAnImageBlockWithMediaTypeAndData()
    {
        var parsed = ParseWith(ImageMessage("data:image/png;base64," + OnePixelPng));

        Assert.Equal(2, parsed.Turn.Prompt.Count);
        Assert.Equal("what is this?", Assert.IsType<CliTextBlock>(parsed.Turn.Prompt[0]).Text);
        var image = Assert.IsType<CliImageBlock>(parsed.Turn.Prompt[1]);
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal(OnePixelPng, image.Base64Data);
    }

    [Fact]
    public void Parse_ImageUrlAsPlainString_IsAccepted()
    {
        var parsed = ParseWith($$"""[{"role":"user","content":[{"type":"image_url","image_url":"data:image/jpeg;base64,{{OnePixelPng}}"}]}]""");

        var image = Assert.IsType<CliImageBlock>(Assert.Single(parsed.Turn.Prompt));
        Assert.Equal("image/jpeg", image.MediaType);
    }

    [Fact]
    public void Parse_UpperCaseMediaType_IsLowered()
    {
        var parsed = ParseWith(ImageMessage("data:IMAGE/PNG;base64," + OnePixelPng));

        Assert.Equal("image/png", Assert.IsType<CliImageBlock>(parsed.Turn.Prompt[1]).MediaType);
    }

    [Theory]
    [InlineData("data:image/png;base64,not*base64!")]
    [InlineData("data:image/png;base64,")]
    [InlineData("data:image/png;base64,aGVsbG8")]
    [InlineData("data:image/png,rawbytes")]
    [InlineData("data:image/png;base64")]
    public void Parse_DataUrlWithoutValidBase64_IsRefusedWithInvalidImageUrl(string url)
    {
        var error = RefusedWith(ImageMessage(url));

        Assert.Equal("invalid_image_url", error.Code);
        Assert.Equal("messages[0].content[1].image_url.url", error.Param);
    }

    [Theory]
    [InlineData("image/bmp")]
    [InlineData("image/svg+xml")]
    [InlineData("application/pdf")]
    public void Parse_UnsupportedImageType_IsRefused(string mediaType)
    {
        var error = RefusedWith(ImageMessage($"data:{mediaType};base64,{OnePixelPng}"));

        Assert.Equal("invalid_image_format", error.Code);
        Assert.Equal("messages[0].content[1].image_url.url", error.Param);
    }

    [Fact]
    public void Parse_ImageUrlWithoutUrl_IsRefused()
    {
        var error = RefusedWith("""[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]""");

        Assert.Equal("messages[0].content[0].image_url.url", error.Param);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("""["data:image/png;base64,AAAA"]""")]
    public void Parse_ImageUrlThatIsNotAStringOrObject_IsRefusedWith400(string imageUrl)
    {
        var error = RefusedWith("""[{"role":"user","content":[{"type":"image_url","image_url":""" + imageUrl + "}]}]");

        Assert.StartsWith("messages[0].content[0]", error.Param, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ContentWithLoneSurrogateEscape_IsAcceptedOrRefusedWith400()
    {
        using var document = JsonDocument.Parse(Body("""[{"role":"user","content":"cut \ud83d"}]"""));
        var parser = CreateParser();
        var root = document.RootElement;

        var exception = Record.Exception(() => parser.Parse(root));

        Assert.True(exception is null or RequestValidationException, $"Unexpected {exception?.GetType().Name}: {exception?.Message}");
    }

    [Fact]
    public void Parse_UnknownContentPartType_IsRefused()
    {
        var error = RefusedWith("""[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]""");

        Assert.Equal("messages[0].content[0].type", error.Param);
    }

    [Theory]
    [InlineData("none", "low")]
    [InlineData("minimal", "low")]
    [InlineData("low", "low")]
    [InlineData("medium", "medium")]
    [InlineData("high", "high")]
    [InlineData("xhigh", "xhigh")]
    [InlineData("max", "max")]
    public void Parse_ReasoningEffort_MapsToCliEffort(string requested, string effort)
    {
        var parsed = ParseWith(Hi, $"\"reasoning_effort\":\"{requested}\"");

        Assert.Equal(effort, parsed.Turn.Effort);
    }

    [Theory]
    [InlineData("\"bogus\"")]
    [InlineData("\"HIGH\"")]
    [InlineData("3")]
    public void Parse_UnknownReasoningEffort_IsRefused(string value)
    {
        var error = RefusedWith(Hi, $"\"reasoning_effort\":{value}");

        Assert.Equal("reasoning_effort", error.Param);
    }

    [Theory]
    [InlineData("\"max_tokens\":100", 100)]
    [InlineData("\"max_completion_tokens\":200", 200)]
    [InlineData("\"max_tokens\":100,\"max_completion_tokens\":200", 200)]
    [InlineData("\"max_tokens\":null", null)]
    public void Parse_MaxTokens_BecomesMaxOutputTokens(string extra, int? expected)
    {
        var parsed = ParseWith(Hi, extra);

        Assert.Equal(expected, parsed.Turn.MaxOutputTokens);
    }

    [Theory]
    [InlineData("max_tokens", "0")]
    [InlineData("max_completion_tokens", "0")]
    [InlineData("max_tokens", "-5")]
    [InlineData("max_tokens", "1.5")]
    [InlineData("max_tokens", "99999999999")]
    public void Parse_NonPositiveOrNonIntegerMaxTokens_IsRefused(string name, string value)
    {
        var error = RefusedWith(Hi, $"\"{name}\":{value}");

        Assert.Equal(name, error.Param);
    }

    [Theory]
    [InlineData("max_tokens", "\"100\"")]
    [InlineData("max_completion_tokens", "true")]
    public void Parse_MaxTokensThatIsNotANumber_IsRefusedWith400(string name, string value)
    {
        var error = RefusedWith(Hi, $"\"{name}\":{value}");

        Assert.Equal(name, error.Param);
    }

    [Fact]
    public void Parse_StopString_GivesOneSequence()
    {
        Assert.Equal(["END"], ParseWith(Hi, "\"stop\":\"END\"").Stop);
    }

    [Fact]
    public void Parse_StopArray_GivesItsSequences()
    {
        Assert.Equal(["a", "b", "c", "d"], ParseWith(Hi, "\"stop\":" + """["a","b","c","d"]""").Stop);
    }

    [Fact]
    public void Parse_StopNull_GivesNoSequences()
    {
        Assert.Empty(ParseWith(Hi, "\"stop\":null").Stop);
    }

    [Theory]
    [InlineData("""["a","b","c","d","e"]""")]
    [InlineData("\"\"")]
    [InlineData("""["a",""]""")]
    [InlineData("""["a",1]""")]
    [InlineData("42")]
    public void Parse_InvalidStop_IsRefused(string stop)
    {
        var error = RefusedWith(Hi, $"\"stop\":{stop}");

        Assert.Equal("stop", error.Param);
    }

    [Theory]
    [InlineData("temperature", "3")]
    [InlineData("temperature", "-0.1")]
    [InlineData("temperature", "\"hot\"")]
    [InlineData("top_p", "1.5")]
    [InlineData("frequency_penalty", "-2.5")]
    [InlineData("presence_penalty", "2.5")]
    public void Parse_SamplingParameterOutOfRange_IsRefused(string name, string value)
    {
        var error = RefusedWith(Hi, $"\"{name}\":{value}");

        Assert.Equal(name, error.Param);
    }

    [Theory]
    [InlineData("\"temperature\":0.5")]
    [InlineData("\"temperature\":0")]
    [InlineData("\"temperature\":2")]
    [InlineData("\"temperature\":null")]
    [InlineData("\"top_p\":1,\"frequency_penalty\":-2,\"presence_penalty\":2")]
    public void Parse_SamplingParameterInRange_IsAccepted(string extra)
    {
        Assert.NotNull(ParseWith(Hi, extra));
    }

    [Theory]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":true}", true, true)]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":false}", true, false)]
    [InlineData("\"stream\":true", true, false)]
    [InlineData("\"stream\":false", false, false)]
    [InlineData("\"stream\":null,\"stream_options\":null", false, false)]
    public void Parse_StreamAndIncludeUsage_AreRead(string extra, bool stream, bool includeUsage)
    {
        var parsed = ParseWith(Hi, extra);

        Assert.Equal(stream, parsed.Stream);
        Assert.Equal(includeUsage, parsed.IncludeUsage);
    }

    [Fact]
    public void Parse_IncludeUsageNotBoolean_IsRefused()
    {
        var error = RefusedWith(Hi, "\"stream\":true,\"stream_options\":" + """{"include_usage":"yes"}""");

        Assert.Equal("stream_options.include_usage", error.Param);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o"}""")]
    [InlineData("""{"model":"gpt-4o","messages":[]}""")]
    [InlineData("""{"model":"gpt-4o","messages":"hi"}""")]
    [InlineData("""{"model":"gpt-4o","messages":null}""")]
    public void Parse_MissingOrEmptyMessages_IsRefused(string json)
    {
        var error = Refused(json);

        Assert.Equal("messages", error.Param);
    }

    [Fact]
    public void Parse_NonObjectMessage_IsRefused()
    {
        var error = RefusedWith("""[{"role":"user","content":"hi"},"hello"]""");

        Assert.Equal("messages[1]", error.Param);
    }

    [Fact]
    public void Parse_UnknownRole_IsRefused()
    {
        var error = RefusedWith("""[{"role":"wizard","content":"hi"}]""");

        Assert.Equal("messages[0].role", error.Param);
    }

    [Fact]
    public void Parse_MissingRole_IsRefused()
    {
        var error = RefusedWith("""[{"content":"hi"}]""");

        Assert.Equal("messages[0].role", error.Param);
    }

    [Fact]
    public void Parse_UserWithoutContent_IsRefused()
    {
        var error = RefusedWith("""[{"role":"user"}]""");

        Assert.Equal("messages[0].content", error.Param);
    }

    [Fact]
    public void Parse_BodyNotAnObject_IsRefused()
    {
        Assert.NotNull(Refused("[1,2]"));
    }

    [Theory]
    [InlineData("gpt-4o", "sonnet")]
    [InlineData("gpt-4o-mini", "haiku")]
    [InlineData("opus", "opus")]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("default", null)]
    [InlineData("", null)]
    public void Parse_Model_IsResolvedThroughTheCatalog(string model, string? cliModel)
    {
        var parsed = Parse(WithModel("\"" + model + "\""));

        Assert.Equal(cliModel, parsed.Turn.Model);
        Assert.Equal(model, parsed.RequestedModel);
    }

    [Fact]
    public void Parse_MissingModel_UsesTheConfiguredDefault()
    {
        var parsed = Parse("{\"messages\":" + Hi + "}", new ModelOptions { DefaultModel = "haiku" });

        Assert.Equal("haiku", parsed.Turn.Model);
        Assert.Equal("", parsed.RequestedModel);
    }

    [Fact]
    public void Parse_ModelWithControlCharacters_IsRefused()
    {
        var error = Refused(WithModel("\"sonnet\\n--tools=Bash\""));

        Assert.Equal("model", error.Param);
    }

    [Fact]
    public void Parse_OverlongModel_IsRefused()
    {
        var error = Refused(WithModel("\"" + new string('m', 300) + "\""));

        Assert.Equal("model", error.Param);
    }
}
