using System.ClientModel;
using System.Text.Json;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Responses;
using static ClaudeActors.IntegrationTests.Responses.ResponsesApi;

namespace ClaudeActors.IntegrationTests.Responses;

/// <summary>
/// The Responses API through the official OpenAI .NET SDK's <see cref="ResponsesClient"/> -> our server -> the real CLI
/// -> the fake upstream: text, streaming, images, a tool loop over <c>previous_response_id</c>, structured output, and
/// reading, listing and deleting stored responses.
/// </summary>
public sealed class ResponsesClientTests
{
    private static readonly ResponseTool Weather = ResponseTool.CreateFunctionTool(
        "get_weather",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
        strictModeEnabled: false,
        functionDescription: "The weather in a city");

    // A 1x1 PNG.
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==";

    [Fact]
    public async Task A_text_response_is_answered_read_back_listed_continued_and_deleted()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Paris is the capital.", usage: new FakeUsage(20, 6, 100, 0)));
        upstream.Enqueue(FakeReply.Text("About two million people."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = Client(gateway);

        var options = new CreateResponseOptions("sonnet", [ResponseItem.CreateUserMessageItem("What is the capital of France?")])
        {
            Instructions = "Answer in one sentence.",
            Metadata = { ["run"] = "42" },
        };
        ResponseResult first = await client.CreateResponseAsync(options);

        Assert.Equal("Paris is the capital.", first.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, first.Status);
        Assert.Equal("42", first.Metadata["run"]);
        Assert.Equal(120, first.Usage.InputTokenCount);
        Assert.Equal(100, first.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(6, first.Usage.OutputTokenCount);
        Assert.Contains("<system_prompt>\nAnswer in one sentence.\n</system_prompt>", upstream.MessageRequests[0].UserTexts[0], StringComparison.Ordinal);

        ResponseResult read = await client.GetResponseAsync(first.Id);
        Assert.Equal(first.Id, read.Id);
        Assert.Equal("Paris is the capital.", read.GetOutputText());
        Assert.Equal(first.CreatedAt, read.CreatedAt);

        var items = new List<ResponseItem>();
        await foreach (var item in client.GetResponseInputItemsAsync(first.Id))
        {
            items.Add(item);
        }

        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(items));
        Assert.Equal(MessageRole.User, message.Role);
        Assert.Equal("What is the capital of France?", Assert.Single(message.Content).Text);

        ResponseResult second = await client.CreateResponseAsync(
            new CreateResponseOptions("sonnet", [ResponseItem.CreateUserMessageItem("And its population?")]) { PreviousResponseId = first.Id });
        Assert.Equal("About two million people.", second.GetOutputText());
        Assert.Equal(first.Id, second.PreviousResponseId);
        Assert.NotEqual(first.Id, second.Id);

        // The second turn ran in the first one's conversation: the model saw the first exchange.
        var continued = upstream.MessageRequests[^1];
        Assert.Contains(continued.UserTexts, t => t.Contains("What is the capital of France?", StringComparison.Ordinal));
        Assert.Contains("Paris is the capital.", continued.Body.GetRawText(), StringComparison.Ordinal);

        // Branching from an earlier response is refused: only the latest continues its conversation.
        var (status, error, _) = await PostAsync(gateway, $$"""{"model":"sonnet","input":"again","previous_response_id":"{{first.Id}}"}""");
        Assert.Equal(400, status);
        Assert.Equal("previous_response_not_latest", Str(error.GetProperty("error"), "code"));
        Assert.Equal("previous_response_id", Str(error.GetProperty("error"), "param"));

        ResponseDeletionResult deleted = await client.DeleteResponseAsync(second.Id);
        Assert.True(deleted.Deleted);
        Assert.Equal(second.Id, deleted.ResponseId);

        var (getStatus, getBody, _) = await SendAsync(gateway, HttpMethod.Get, "v1/responses/" + second.Id);
        Assert.Equal(404, getStatus);
        Assert.Equal("invalid_request_error", Str(getBody.GetProperty("error"), "type"));
        var (againStatus, againBody, _) = await PostAsync(gateway, $$"""{"model":"sonnet","input":"more","previous_response_id":"{{second.Id}}"}""");
        Assert.Equal(400, againStatus);
        Assert.Equal("previous_response_not_found", Str(againBody.GetProperty("error"), "code"));
        var (deleteAgain, _, _) = await SendAsync(gateway, HttpMethod.Delete, "v1/responses/" + second.Id);
        Assert.Equal(404, deleteAgain);

        // The first response is still there.
        Assert.Equal("Paris is the capital.", (await client.GetResponseAsync(first.Id)).Value.GetOutputText());
    }

    [Fact]
    public async Task A_streamed_response_reaches_the_sdk_as_deltas_and_a_completed_response()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Streaming works fine.", chunkCount: 4));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = Client(gateway);

        var text = new System.Text.StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions("sonnet", [ResponseItem.CreateUserMessageItem("Stream please")]) { StreamingEnabled = true }))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.Equal("Streaming works fine.", text.ToString());
        Assert.NotNull(completed);
        Assert.Equal("Streaming works fine.", completed.GetOutputText());
        Assert.Equal("Streaming works fine.", (await client.GetResponseAsync(completed.Id)).Value.GetOutputText());
    }

    [Fact]
    public async Task A_tool_loop_runs_over_previous_response_id_and_function_call_output_plain_and_streamed()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.ToolCalls("Let me check.", FakeToolUse.Client("toolu_r1", "get_weather", """{"city":"Paris"}""")));
        upstream.Enqueue(FakeReply.ToolCalls("", FakeToolUse.Client("toolu_r2", "get_weather", """{"city":"Rome"}""")));
        upstream.Enqueue(FakeReply.Text("Paris is sunny and Rome is rainy."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = Client(gateway);

        ResponseResult first = await client.CreateResponseAsync(
            new CreateResponseOptions("sonnet", [ResponseItem.CreateUserMessageItem("Weather in Paris and Rome?")]) { Tools = { Weather } });

        Assert.Equal(ResponseStatus.Completed, first.Status);
        Assert.Equal("Let me check.", first.GetOutputText());
        var call = Assert.Single(first.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("toolu_r1", call.CallId);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());

        // Streamed: the result of the first call, answered with the second call.
        FunctionCallResponseItem? second = null;
        string? secondId = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(
            new CreateResponseOptions("sonnet", [ResponseItem.CreateFunctionCallOutputItem("toolu_r1", "22C and sunny")]) { PreviousResponseId = first.Id, Tools = { Weather }, StreamingEnabled = true }))
        {
            if (update is StreamingResponseCompletedUpdate done)
            {
                secondId = done.Response.Id;
                second = Assert.Single(done.Response.OutputItems.OfType<FunctionCallResponseItem>());
            }
        }

        Assert.NotNull(second);
        Assert.Equal("toolu_r2", second.CallId);
        Assert.Equal([("toolu_r1", "22C and sunny", false)], upstream.MessageRequests[1].ToolResults);

        ResponseResult third = await client.CreateResponseAsync(
            new CreateResponseOptions("sonnet", [ResponseItem.CreateFunctionCallOutputItem("toolu_r2", "14C and rainy")]) { PreviousResponseId = secondId, Tools = { Weather } });

        Assert.Equal("Paris is sunny and Rome is rainy.", third.GetOutputText());
        Assert.Equal([("toolu_r2", "14C and rainy", false)], upstream.MessageRequests[2].ToolResults);
        Assert.Equal(3, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task Text_format_json_schema_gives_a_structured_answer()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.StructuredOutput("""{"city":"Paris","sunny":true}"""));
        upstream.DefaultReply = FakeReply.Text("Done.");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var schema = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"},"sunny":{"type":"boolean"}},"required":["city","sunny"],"additionalProperties":false}""");

        ResponseResult result = await Client(gateway).CreateResponseAsync(
            new CreateResponseOptions("sonnet", [ResponseItem.CreateUserMessageItem("Weather in Paris as JSON")])
            {
                TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("weather", schema, jsonSchemaIsStrict: true) },
            });

        var answer = JsonDocument.Parse(result.GetOutputText()).RootElement;
        Assert.Equal("Paris", answer.GetProperty("city").GetString());
        Assert.True(answer.GetProperty("sunny").GetBoolean());
        Assert.Equal(ResponseTextFormatKind.JsonSchema, result.TextOptions.TextFormat.Kind);
        Assert.Contains(FakeReply.StructuredOutputTool, upstream.MessageRequests[0].ToolNames);
    }

    [Fact]
    public async Task An_input_image_reaches_the_model_as_an_image()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("A single pixel."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ResponseResult result = await Client(gateway).CreateResponseAsync(new CreateResponseOptions(
            "sonnet",
            [ResponseItem.CreateUserMessageItem([
                ResponseContentPart.CreateInputTextPart("What is in this image?"),
                ResponseContentPart.CreateInputImagePart(BinaryData.FromBytes(Convert.FromBase64String(Png), "image/png"), ResponseImageDetailLevel.Auto),
            ])]));

        Assert.Equal("A single pixel.", result.GetOutputText());
        Assert.True(upstream.MessageRequests[0].HasImage);
        Assert.Contains(Png, upstream.MessageRequests[0].Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_with_store_false_is_answered_but_can_be_neither_read_nor_continued()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Not kept."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var client = Client(gateway);

        ResponseResult result = await client.CreateResponseAsync(
            new CreateResponseOptions("sonnet", [ResponseItem.CreateUserMessageItem("Forget this")]) { StoredOutputEnabled = false });

        Assert.Equal("Not kept.", result.GetOutputText());
        var (getStatus, _, _) = await SendAsync(gateway, HttpMethod.Get, "v1/responses/" + result.Id);
        Assert.Equal(404, getStatus);
        var (status, body, _) = await PostAsync(gateway, $$"""{"model":"sonnet","input":"more","previous_response_id":"{{result.Id}}"}""");
        Assert.Equal(400, status);
        Assert.Equal("previous_response_not_found", Str(body.GetProperty("error"), "code"));
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(result.Id));
        Assert.Equal(404, ex.Status);
    }
}
