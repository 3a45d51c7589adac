using System.Text;
using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Server.OpenAi.Completions;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Completions;

/// <summary>
/// Legacy <c>POST /v1/completions</c> over raw HTTP (the OpenAI .NET SDK's legacy client is internal) -> our server ->
/// the real CLI -> the fake upstream.
/// </summary>
public sealed class CompletionsTests
{
    [Fact]
    public async Task A_string_prompt_is_answered_in_the_text_completion_shape_by_a_stateless_turn()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text(" there was a fox.", usage: new FakeUsage(21, 9, 50, 7)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, """{"model":"sonnet","prompt":"Once upon a time","max_tokens":64,"temperature":0.3,"user":"u-1","seed":7}""");

        Assert.Equal(200, (int)response.StatusCode);
        var body = await Sse.JsonAsync(response);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("created").GetInt64() > 1_700_000_000);
        Assert.StartsWith("claude-sonnet", body.GetProperty("model").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("system_fingerprint").ValueKind);
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal(" there was a fox.", choice.GetProperty("text").GetString());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(21 + 50 + 7, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(9, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(21 + 50 + 7 + 9, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(50, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());

        // The model is asked to continue the text, which reaches it as sent, in one user message with no history.
        var request = Assert.Single(upstream.MessageRequests);
        Assert.Equal(["user"], request.MessageRoles);
        Assert.Equal(CompletionPrompt.Instruction + "\nOnce upon a time", request.LastUserText);
        Assert.Equal(64, request.MaxTokens);

        // Stateless even with auto sessions on: no conversation was made for it.
        Assert.Empty(await SessionIdsAsync(gateway));
    }

    [Fact]
    public async Task An_array_prompt_is_completed_one_prompt_after_another_with_each_choice_at_its_position()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = AlphaBeta(FakeReply.Text("B!", usage: new FakeUsage(20, 2, 0, 0)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, """{"prompt":["alpha","beta"]}""");

        Assert.Equal(200, (int)response.StatusCode);
        var body = await Sse.JsonAsync(response);
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(["A!", "B!"], choices.Select(c => c.GetProperty("text").GetString()));
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal("stop", c.GetProperty("finish_reason").GetString()));
        Assert.Equal(10 + 20, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(1 + 2, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Collection(
            upstream.MessageRequests,
            r => Assert.EndsWith(CompletionPrompt.Instruction + "\nalpha", r.LastUserText, StringComparison.Ordinal),
            r => Assert.EndsWith(CompletionPrompt.Instruction + "\nbeta", r.LastUserText, StringComparison.Ordinal));
        Assert.Empty(await SessionIdsAsync(gateway));
    }

    [Fact]
    public async Task A_streamed_completion_is_whole_text_completion_chunks_then_the_usage_chunk_and_DONE()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Hello there", chunkCount: 2, usage: new FakeUsage(10, 2, 0, 0)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, """{"model":"sonnet","prompt":"Say","stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("event:", body, StringComparison.Ordinal);
        var data = Sse.DataLines(body);
        Assert.Equal("[DONE]", data[^1]);
        var chunks = data.SkipLast(1).Select(Sse.Json).ToList();
        AssertSameCompletion(chunks);

        // Text chunks, then the finish chunk, then the usage chunk; each chunk a whole text_completion.
        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk.GetProperty("choices").EnumerateArray());
        Assert.Equal(10, usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(12, usageChunk.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        var choices = chunks.SkipLast(1).Select(c => Assert.Single(c.GetProperty("choices").EnumerateArray())).ToList();
        Assert.All(chunks.SkipLast(1), c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(choices, c => Assert.Equal(["text", "index", "logprobs", "finish_reason"], c.EnumerateObject().Select(p => p.Name)));
        Assert.All(choices, c => Assert.Equal(0, c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal(JsonValueKind.Null, c.GetProperty("logprobs").ValueKind));
        Assert.True(choices.Count >= 2);
        Assert.All(choices.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("finish_reason").ValueKind));
        Assert.All(choices.SkipLast(1), c => Assert.NotEqual("", c.GetProperty("text").GetString()));
        Assert.Equal("Hello there", string.Concat(choices.Select(c => c.GetProperty("text").GetString())));
        Assert.Equal("", choices[^1].GetProperty("text").GetString());
        Assert.Equal("stop", choices[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_streamed_array_prompt_streams_each_prompt_in_turn_and_no_usage_chunk_unless_asked()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = AlphaBeta(FakeReply.Text("Bee answer", chunkCount: 3));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, """{"prompt":["alpha","beta"],"stream":true}""");

        Assert.Equal(200, (int)response.StatusCode);
        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", data[^1]);
        var chunks = data.SkipLast(1).Select(Sse.Json).ToList();
        AssertSameCompletion(chunks);
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        var choices = chunks.Select(c => Assert.Single(c.GetProperty("choices").EnumerateArray())).ToList();
        var indexes = choices.Select(c => c.GetProperty("index").GetInt32()).ToList();
        Assert.Equal(indexes.Order(), indexes);
        foreach (var (index, text) in new[] { (0, "A!"), (1, "Bee answer") })
        {
            var mine = choices.Where(c => c.GetProperty("index").GetInt32() == index).ToList();
            Assert.Equal(text, string.Concat(mine.Select(c => c.GetProperty("text").GetString())));
            Assert.Equal("stop", mine[^1].GetProperty("finish_reason").GetString());
            Assert.All(mine.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("finish_reason").ValueKind));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_answer_that_keeps_hitting_max_tokens_ends_with_finish_reason_length(bool stream)
    {
        // The CLI asks the model to continue after a max_tokens stop; only an answer that keeps hitting it ends cut short.
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("cut short", stopReason: "max_tokens");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, Sse.Body(new { prompt = "write a lot", max_tokens = 1000, stream }));

        Assert.Equal(200, (int)response.StatusCode);
        var (text, finish) = await AnswerAsync(response, stream);
        Assert.StartsWith("cut short", text, StringComparison.Ordinal);
        Assert.Equal("length", finish);
        Assert.Equal(1000, Assert.Single(upstream.MessageRequests.Select(r => r.MaxTokens).Distinct()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stop_sequences_cut_the_answer_before_the_sequence(bool stream)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("one, two, three, four", chunkCount: 6));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, Sse.Body(new { prompt = "count", stop = new[] { "three", "nine" }, stream }));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(("one, two, ", "stop"), await AnswerAsync(response, stream));
    }

    [Fact]
    public async Task What_the_CLI_cannot_do_is_refused_with_a_400_naming_the_parameter_before_any_CLI_runs()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        var cases = new (string Body, string Param)[]
        {
            ("""{"prompt":"def f(x):","suffix":"    return y"}""", "suffix"),
            ("""{"prompt":"x","echo":true}""", "echo"),
            ("""{"prompt":"x","logprobs":2}""", "logprobs"),
            ("""{"prompt":"x","best_of":3}""", "best_of"),
            ("""{"prompt":"x","n":2}""", "n"),
            ("""{"prompt":[1212,318,257]}""", "prompt"),
            ("""{"prompt":[[1212,318],[257]]}""", "prompt"),
            ("""{"model":"sonnet"}""", "prompt"),
        };
        foreach (var (body, param) in cases)
        {
            using var response = await PostAsync(gateway, body);

            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var error = (await Sse.JsonAsync(response)).GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.Equal(param, error.GetProperty("param").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }

        using (var notJson = await PostAsync(gateway, "{\"prompt\":"))
        {
            Assert.Equal(400, (int)notJson.StatusCode);
        }

        Assert.Empty(upstream.MessageRequests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failure_before_the_answer_gets_its_HTTP_status_as_in_chat(bool stream)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Error(401, "authentication_error", "invalid x-api-key");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, Sse.Body(new { prompt = new[] { "alpha", "beta" }, stream }));

        Assert.Equal(401, (int)response.StatusCode);
        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_failure_after_the_stream_began_is_an_error_event_and_the_stream_ends_without_DONE()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = AlphaBeta(FakeReply.Error(401, "authentication_error", "invalid x-api-key"));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        using var response = await PostAsync(gateway, """{"prompt":["alpha","beta"],"stream":true}""");

        Assert.Equal(200, (int)response.StatusCode);
        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("[DONE]", data);
        var error = Sse.Json(data[^1]).GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        var chunks = data.SkipLast(1).Select(Sse.Json).ToList();
        AssertSameCompletion(chunks);
        var choices = chunks.Select(c => Assert.Single(c.GetProperty("choices").EnumerateArray())).ToList();
        Assert.All(choices, c => Assert.Equal(0, c.GetProperty("index").GetInt32()));
        Assert.Equal("A!", string.Concat(choices.Select(c => c.GetProperty("text").GetString())));
        Assert.Equal("stop", choices[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_completion_waits_for_a_worker_like_a_chat_request_and_a_full_pool_answers_429()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Enqueue(FakeReply.Gated("held", " done", gate));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Workers:MaxConcurrency"] = "1";
            s["ClaudeActors:Workers:MaxQueueLength"] = "0";
        });

        var first = PostAsync(gateway, """{"prompt":"hold"}""");
        await gate.WaitUntilReachedAsync(Sse.Generous);
        using var rejected = await PostAsync(gateway, """{"prompt":"x"}""");

        Assert.Equal(429, (int)rejected.StatusCode);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var error = (await Sse.JsonAsync(rejected)).GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("server_busy", error.GetProperty("code").GetString());

        gate.Release();
        using var firstResponse = await first;
        Assert.Equal(200, (int)firstResponse.StatusCode);
        Assert.Equal("held done", (await Sse.JsonAsync(firstResponse)).GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_ends_the_running_prompt_and_the_later_prompts_never_run()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.LastUserText?.EndsWith("\nstory", StringComparison.Ordinal) == true
            ? FakeReply.Hang("Once upon a time", chunkCount: 1)
            : FakeReply.Text("A!");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Workers:MaxConcurrency"] = "1");

        // Prompt 0 is answered, prompt 1 (upstream request 2) hangs mid-answer when the client goes away.
        await ClientInterrupt.LeaveMidStreamAsync(
            upstream,
            2,
            token => PostAsync(gateway, """{"prompt":["alpha","story","gamma"],"stream":true}""", HttpCompletionOption.ResponseHeadersRead, token));

        // The only worker is free again, and the prompt after the one cut never reached the model.
        using var next = await PostAsync(gateway, """{"prompt":"after"}""");
        Assert.Equal(200, (int)next.StatusCode);
        Assert.Equal("A!", (await Sse.JsonAsync(next)).GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.DoesNotContain(upstream.MessageRequests, r => r.LastUserText?.EndsWith("\ngamma", StringComparison.Ordinal) == true);
        Assert.Equal(3, upstream.MessageRequests.Count);
    }

    private static Task<HttpResponseMessage> PostAsync(
        TestGateway gateway, string json, HttpCompletionOption option = HttpCompletionOption.ResponseContentRead, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        return gateway.Http.SendAsync(request, option, cancellationToken);
    }

    /// <summary>"A!" to the prompt <c>alpha</c> (usage 10 in, 1 out), <paramref name="beta"/> to the prompt <c>beta</c>.</summary>
    private static Func<RecordedRequest, FakeReply?> AlphaBeta(FakeReply beta) => request =>
        request.LastUserText switch
        {
            { } text when text.EndsWith("\nalpha", StringComparison.Ordinal) => FakeReply.Text("A!", usage: new FakeUsage(10, 1, 0, 0)),
            { } text when text.EndsWith("\nbeta", StringComparison.Ordinal) => beta,
            _ => null,
        };

    /// <summary>The text and finish reason of a one-prompt answer, streamed or not.</summary>
    private static async Task<(string Text, string? Finish)> AnswerAsync(HttpResponseMessage response, bool stream)
    {
        if (!stream)
        {
            var choice = Assert.Single((await Sse.JsonAsync(response)).GetProperty("choices").EnumerateArray());
            return (choice.GetProperty("text").GetString()!, choice.GetProperty("finish_reason").GetString());
        }

        var data = Sse.DataLines(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", data[^1]);
        var choices = data.SkipLast(1).Select(d => Assert.Single(Sse.Json(d).GetProperty("choices").EnumerateArray())).ToList();
        return (string.Concat(choices.Select(c => c.GetProperty("text").GetString())), choices[^1].GetProperty("finish_reason").GetString());
    }

    /// <summary>Every chunk is a whole text_completion of the same answer: one id, created time and model.</summary>
    private static void AssertSameCompletion(List<JsonElement> chunks)
    {
        Assert.NotEmpty(chunks);
        var id = chunks[0].GetProperty("id").GetString();
        Assert.StartsWith("cmpl-", id, StringComparison.Ordinal);
        Assert.All(chunks, c => Assert.Equal(id, c.GetProperty("id").GetString()));
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        Assert.All(chunks, c => Assert.Equal(chunks[0].GetProperty("created").GetInt64(), c.GetProperty("created").GetInt64()));
        Assert.All(chunks, c => Assert.Equal(chunks[0].GetProperty("model").GetString(), c.GetProperty("model").GetString()));
        Assert.All(chunks, c => Assert.Equal(JsonValueKind.Null, c.GetProperty("system_fingerprint").ValueKind));
    }

    private static async Task<List<string?>> SessionIdsAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("v1/sessions?limit=100");
        return [.. (await Sse.JsonAsync(response)).GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString())];
    }
}
