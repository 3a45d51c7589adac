using System.ClientModel;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Testing.Journal;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.ChatCompletions;

/// <summary>
/// <c>response_format</c> through the OpenAI SDK, our server and the real CLI's <c>--json-schema</c>: the fake upstream
/// answers the CLI's <c>StructuredOutput</c> tool, the CLI validates the call, and the client gets exactly that JSON.
/// </summary>
public sealed class StructuredOutputTests
{
    private const string PersonSchema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string" },
            "address": {
              "type": "object",
              "properties": { "city": { "type": "string" }, "zip": { "type": "string" } },
              "required": ["city", "zip"],
              "additionalProperties": false
            },
            "skills": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": { "name": { "type": "string" }, "level": { "type": "integer", "minimum": 1, "maximum": 5 } },
                "required": ["name", "level"],
                "additionalProperties": false
              }
            }
          },
          "required": ["name", "address", "skills"],
          "additionalProperties": false
        }
        """;

    // As the model writes it: with spaces, split into input_json_delta fragments by the fake.
    private const string ModelJson = """{"name": "Ada", "address": {"city": "London", "zip": "NW1"}, "skills": [{"name": "maths", "level": 5}, {"name": "poetry", "level": 3}]}""";

    // As the CLI returns it (JSON.stringify of the validated input).
    private const string AnswerJson = """{"name":"Ada","address":{"city":"London","zip":"NW1"},"skills":[{"name":"maths","level":5},{"name":"poetry","level":3}]}""";

    private static ChatCompletionOptions PersonFormat(bool strict = true) => new()
    {
        ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(PersonSchema), jsonSchemaIsStrict: strict),
    };

    /// <summary>The model calls StructuredOutput when the CLI offers it (after some words of its own), else writes text.</summary>
    private static void AnswerStructured(FakeAnthropicServer upstream, string json = ModelJson) =>
        upstream.Responder = request => request.ToolNames.Contains(FakeReply.StructuredOutputTool)
            ? FakeReply.StructuredOutput(json, textBefore: "Here is the person you asked for.")
            : FakeReply.Text("A plain answer.");

    [Fact]
    public async Task A_nested_json_schema_is_answered_with_exactly_the_JSON_the_CLI_validated()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat("sonnet").CompleteChatAsync([new UserChatMessage("Describe Ada.")], PersonFormat());

        Assert.Equal(AnswerJson, Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var request = Assert.Single(upstream.MessageRequests);
        var tool = request.Body.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == FakeReply.StructuredOutputTool);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(PersonSchema), JsonNode.Parse(tool.GetProperty("input_schema").GetRawText())));
    }

    [Fact]
    public async Task A_streamed_structured_answer_concatenates_to_the_same_JSON_as_the_plain_one()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var (text, finish) = await StreamAsync(gateway.OpenAiChat(), "Describe Ada.", PersonFormat());

        Assert.Equal(AnswerJson, text);
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task A_warm_conversation_answers_schema_turns_streamed_or_not_and_later_turns_see_them_as_plain_JSON_answers()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var chat = gateway.OpenAiChat("sonnet", "structured-warm");

        await AlternateAsync(chat, "Hello.", "Describe Ada.", "Thanks.", "Once more.");

        // The schema turn ran with the tool; the turn after it has neither the tool nor a trace of the tool call: its
        // history is the user's prompt and the JSON the client got.
        var requests = upstream.MessageRequests;
        Assert.Equal(4, requests.Count);
        Assert.Contains(FakeReply.StructuredOutputTool, requests[1].ToolNames);
        Assert.DoesNotContain(FakeReply.StructuredOutputTool, requests[2].ToolNames);
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], requests[2].MessageRoles);
        Assert.Equal(["Hello.", "Describe Ada.", "Thanks."], requests[2].UserTexts);
        Assert.Empty(ToolBlocks(requests[2]));
        Assert.Equal(["A plain answer.", AnswerJson], AssistantTexts(requests[2]));
        Assert.Contains(FakeReply.StructuredOutputTool, requests[3].ToolNames);
        Assert.Empty(ToolBlocks(requests[3]));
        await SessionApi.AssertTurnsAsync(gateway.Http, "structured-warm", 4);
    }

    [Fact]
    public async Task A_stateless_client_that_resends_a_structured_answer_continues_its_conversation()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var schema = JsonNode.Parse(PersonSchema);

        using var first = await Sse.PostAsync(gateway.Http, Body(schema, ("user", "Describe Ada.")));
        var answer = (await Sse.JsonAsync(first)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var second = await Sse.PostAsync(gateway.Http, Body(null, ("user", "Describe Ada."), ("assistant", answer), ("user", "Thanks.")));

        Assert.Equal(AnswerJson, answer);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal(first.Headers.GetValues("X-Session-Id").Single(), second.Headers.GetValues("X-Session-Id").Single());
        var last = upstream.MessageRequests[^1];
        Assert.Equal(["user", "assistant", "user"], last.MessageRoles);
        Assert.Empty(ToolBlocks(last));
        Assert.DoesNotContain(FakeReply.StructuredOutputTool, last.ToolNames);
    }

    [Fact]
    public async Task Stateless_requests_on_the_worker_pool_never_leave_a_schema_on_a_reused_process()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Sessions:AutoSessions"] = "false");
        var chat = gateway.OpenAiChat();

        await AlternateAsync(chat, "Hello.", "Describe Ada.", "Hello again.", "Describe Ada.");

        var requests = upstream.MessageRequests;
        Assert.Equal(4, requests.Count);
        Assert.DoesNotContain(FakeReply.StructuredOutputTool, requests[0].ToolNames);
        Assert.Contains(FakeReply.StructuredOutputTool, requests[1].ToolNames);
        Assert.DoesNotContain(FakeReply.StructuredOutputTool, requests[2].ToolNames);
        Assert.Equal(["user"], requests[2].MessageRoles);
        Assert.Contains(FakeReply.StructuredOutputTool, requests[3].ToolNames);
    }

    [Fact]
    public async Task Json_object_answers_a_JSON_object()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream, """{"answer": 42, "unit": "none"}""");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat().CompleteChatAsync(
            [new UserChatMessage("Answer in JSON.")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal("""{"answer":42,"unit":"none"}""", completion.Content[0].Text);
        var tool = Assert.Single(upstream.MessageRequests).Body.GetProperty("tools").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == FakeReply.StructuredOutputTool);
        Assert.Equal("object", tool.GetProperty("input_schema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_schema_the_CLI_finds_invalid_is_a_400_naming_response_format_with_the_CLI_reason()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await Sse.PostAsync(gateway.Http, Body(JsonNode.Parse("""{"type":"object","required":"name"}"""), ("user", "Describe Ada.")));

        Assert.Equal(400, (int)response.StatusCode);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("response_format", error.GetProperty("param").GetString());
        Assert.Equal("invalid_json_schema", error.GetProperty("code").GetString());
        Assert.Contains("required must be array", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(upstream.MessageRequests);
    }

    [Fact]
    public async Task A_schema_the_model_never_satisfies_is_a_422_and_the_conversation_goes_on()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();

        // The model never calls the tool with a valid input: a name where a number must be.
        upstream.Responder = request => request.ToolNames.Contains(FakeReply.StructuredOutputTool)
            ? FakeReply.StructuredOutput("""{"name": "Ada"}""")
            : FakeReply.Text("A plain answer.");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var chat = gateway.OpenAiChat("sonnet", "structured-unsatisfied");

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Describe Ada.")], PersonFormat()));
        ChatCompletion after = await chat.CompleteChatAsync([new UserChatMessage("Hello.")]);

        Assert.Equal(422, failure.Status);
        var error = JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("structured_output_failed", error.GetProperty("code").GetString());
        Assert.Equal("response_format", error.GetProperty("param").GetString());
        Assert.Equal("A plain answer.", after.Content[0].Text);
        var last = upstream.MessageRequests[^1];
        Assert.DoesNotContain(FakeReply.StructuredOutputTool, last.ToolNames);
        Assert.Empty(ToolBlocks(last));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task After_a_restart_and_a_lost_CLI_folder_the_journal_holds_the_structured_turn_as_its_JSON(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        AnswerStructured(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-structured-");

        await using (var before = await gateways.StartAsync())
        {
            ChatCompletion structured = await before.OpenAiChat("sonnet", "structured-durable").CompleteChatAsync([new UserChatMessage("Describe Ada.")], PersonFormat());
            Assert.Equal(AnswerJson, structured.Content[0].Text);
        }

        Directory.Delete(Path.Combine(gateways.Root, "cli-config"), recursive: true);
        await using var after = await gateways.StartAsync();
        var chat = after.OpenAiChat("sonnet", "structured-durable");
        ChatCompletion plain = await chat.CompleteChatAsync([new UserChatMessage("Thanks.")]);
        ChatCompletion again = await chat.CompleteChatAsync([new UserChatMessage("Once more.")], PersonFormat());

        Assert.Equal("A plain answer.", plain.Content[0].Text);
        Assert.Equal(AnswerJson, again.Content[0].Text);
        var requests = upstream.MessageRequests;
        Assert.Equal(["Describe Ada.", "Thanks."], requests[1].UserTexts);
        Assert.Equal([AnswerJson], AssistantTexts(requests[1]));
        Assert.Empty(ToolBlocks(requests[1]));
        Assert.Equal(["Describe Ada.", "Thanks.", "Once more."], requests[2].UserTexts);
        Assert.Empty(ToolBlocks(requests[2]));
        var session = await SessionApi.GetAsync(after.Http, "structured-durable");
        Assert.Equal(AnswerJson, session.GetProperty("history")[0].GetProperty("answer").GetString());
    }

    [Fact]
    public async Task A_structured_turn_the_client_leaves_leaves_nothing_in_the_history()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.ToolNames.Contains(FakeReply.StructuredOutputTool) ? FakeReply.Hang() : FakeReply.Text("A plain answer.");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "structured-left", "Hello.");

        using (var client = new CancellationTokenSource())
        {
            var body = JsonNode.Parse(Body(JsonNode.Parse(PersonSchema), ("user", "Describe Ada.")))!;
            body["session_id"] = "structured-left";
            body["stream"] = true;
            var pending = Sse.PostAsync(gateway.Http, body.ToJsonString(), HttpCompletionOption.ResponseHeadersRead, client.Token);
            var held = await upstream.WaitForMessageRequestAsync(2, Sse.Generous);
            await client.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
            Assert.Equal(FakeStreamOutcome.AbortedByClient, await upstream.WaitForOutcomeAsync(held, Sse.Generous));
        }

        Assert.Equal("A plain answer.", await SessionApi.SayAsync(gateway.Http, "structured-left", "Still there?"));

        var last = upstream.MessageRequests[^1];
        Assert.Equal(["Hello.", "Still there?"], last.UserTexts);
        Assert.DoesNotContain("Describe Ada.", last.Body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeReply.StructuredOutputTool, last.ToolNames);
        await SessionApi.AssertTurnsAsync(gateway.Http, "structured-left", 2);
    }

    /// <summary>
    /// Four turns on <paramref name="chat"/>: plain, with the schema, plain, with the schema (not strict) and streamed;
    /// each answer is the plain text or the JSON.
    /// </summary>
    private static async Task AlternateAsync(ChatClient chat, string plain, string structured, string plainAgain, string structuredStreamed)
    {
        ChatCompletion first = await chat.CompleteChatAsync([new UserChatMessage(plain)]);
        ChatCompletion second = await chat.CompleteChatAsync([new UserChatMessage(structured)], PersonFormat());
        ChatCompletion third = await chat.CompleteChatAsync([new UserChatMessage(plainAgain)]);
        var (fourth, _) = await StreamAsync(chat, structuredStreamed, PersonFormat(strict: false));

        Assert.Equal("A plain answer.", first.Content[0].Text);
        Assert.Equal(AnswerJson, second.Content[0].Text);
        Assert.Equal("A plain answer.", third.Content[0].Text);
        Assert.Equal(AnswerJson, fourth);
    }

    /// <summary>A streamed answer through the SDK: its content deltas joined, and its finish reason.</summary>
    private static async Task<(string Text, ChatFinishReason? Finish)> StreamAsync(ChatClient chat, string prompt, ChatCompletionOptions options)
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage(prompt)], options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        return (text.ToString(), finish);
    }

    private static string Body(JsonNode? schema, params (string Role, string Content)[] messages)
    {
        var body = new JsonObject
        {
            ["model"] = "sonnet",
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
        };
        if (schema is not null)
        {
            body["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "person", ["schema"] = schema.DeepClone(), ["strict"] = true },
            };
        }

        return body.ToJsonString();
    }

    private static List<JsonElement> ToolBlocks(RecordedRequest request) =>
        [.. request.Messages.SelectMany(Blocks).Where(b => b.TryGetProperty("type", out var t) && t.GetString() is "tool_use" or "tool_result")];

    private static List<string> AssistantTexts(RecordedRequest request) =>
        [.. request.Messages.Where(m => m.GetProperty("role").GetString() == "assistant")
            .Select(m => string.Concat(Blocks(m).Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString())))];

    private static IEnumerable<JsonElement> Blocks(JsonElement message) =>
        message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array ? content.EnumerateArray() : [];
}
