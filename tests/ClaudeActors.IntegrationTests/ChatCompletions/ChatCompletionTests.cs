using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.ChatCompletions;

/// <summary>Plain chat through the official OpenAI SDK -> our server -> the real CLI -> the fake upstream.</summary>
public sealed class ChatCompletionTests
{
    [Fact]
    public async Task A_plain_chat_returns_the_upstream_answer_with_its_usage_in_OpenAI_terms()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Paris is the capital of France.", usage: new FakeUsage(21, 9, 50, 7)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat("sonnet").CompleteChatAsync([new UserChatMessage("What is the capital of France?")]);

        Assert.Equal("Paris is the capital of France.", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.StartsWith("claude-sonnet", completion.Model, StringComparison.Ordinal);
        Assert.Equal(21 + 50 + 7, completion.Usage.InputTokenCount);
        Assert.Equal(50, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(9, completion.Usage.OutputTokenCount);
        Assert.Equal(21 + 50 + 7 + 9, completion.Usage.TotalTokenCount);
        Assert.Equal("What is the capital of France?", Assert.Single(upstream.MessageRequests).LastUserText);
    }

    [Fact]
    public async Task The_whole_client_history_reaches_the_upstream_as_real_messages_with_their_roles()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("Your name is Alice."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat().CompleteChatAsync(
        [
            new UserChatMessage("My name is Alice."),
            new AssistantChatMessage("Nice to meet you, Alice."),
            new UserChatMessage("I work in Lyon."),
            new AssistantChatMessage("Lyon is lovely."),
            new UserChatMessage("What is my name?"),
        ]);

        Assert.Equal("Your name is Alice.", completion.Content[0].Text);
        var request = Assert.Single(upstream.MessageRequests);
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], request.MessageRoles);
        Assert.Equal(["My name is Alice.", "I work in Lyon.", "What is my name?"], request.UserTexts);
    }

    [Fact]
    public async Task The_system_prompt_goes_at_the_head_of_the_conversation_by_default()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        await gateway.OpenAiChat().CompleteChatAsync([new SystemChatMessage("Answer in French."), new DeveloperChatMessage("Be brief."), new UserChatMessage("Hello")]);

        var request = Assert.Single(upstream.MessageRequests);
        Assert.Equal(["user"], request.MessageRoles);
        var first = request.UserTexts[0];
        Assert.Contains("<system_prompt>\nAnswer in French.\n\nBe brief.\n</system_prompt>", first, StringComparison.Ordinal);
        Assert.Contains("Hello", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Answer in French.", request.SystemText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_system_prompt_replaces_the_CLI_prompt_when_so_configured()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Cli:SystemPromptMode"] = "Replace");

        await gateway.OpenAiChat().CompleteChatAsync([new SystemChatMessage("Answer in French."), new UserChatMessage("Hello")]);

        var request = Assert.Single(upstream.MessageRequests);
        Assert.Contains("Answer in French.", request.SystemText, StringComparison.Ordinal);
        Assert.DoesNotContain("<system_prompt>", string.Concat(request.UserTexts), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inline_image_reaches_the_upstream_as_an_image_block()
    {
        const string onePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("A single pixel."));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat().CompleteChatAsync(
        [
            new UserChatMessage(
                ChatMessageContentPart.CreateTextPart("What is in this picture?"),
                ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Convert.FromBase64String(onePixelPng)), "image/png")),
        ]);

        Assert.Equal("A single pixel.", completion.Content[0].Text);
        var request = Assert.Single(upstream.MessageRequests);
        Assert.True(request.HasImage);
        Assert.Contains(onePixelPng, request.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt-4o", "claude-sonnet")]
    [InlineData("gpt-4o-mini", "claude-haiku")]
    [InlineData("opus", "claude-opus")]
    [InlineData("claude-pinned-test-model", "claude-pinned-test-model")]
    public async Task Model_names_are_mapped_or_passed_through_to_the_CLI(string requested, string upstreamPrefix)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        await gateway.OpenAiChat(requested).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.StartsWith(upstreamPrefix, Assert.Single(upstream.MessageRequests).Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_placeholder_model_uses_the_configured_default_model()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Models:DefaultModel"] = "haiku");

        await gateway.OpenAiChat("auto").CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.StartsWith("claude-haiku", Assert.Single(upstream.MessageRequests).Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reasoning_effort_becomes_the_CLI_effort()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        await gateway.OpenAiChat().CompleteChatAsync(
            [new UserChatMessage("think hard")],
            new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.High });

        Assert.Equal("high", Assert.Single(upstream.MessageRequests).OutputEffort);
    }

    [Fact]
    public async Task Stop_sequences_cut_the_answer_before_the_sequence()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("one, two, three, four", chunkCount: 6));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat().CompleteChatAsync(
            [new UserChatMessage("count")],
            new ChatCompletionOptions { StopSequences = { "three" } });

        Assert.Equal("one, two, ", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task An_answer_cut_at_the_output_limit_is_reported_as_length_with_its_text()
    {
        // The CLI asks the model to continue after a max_tokens stop; only an answer that keeps hitting the limit
        // ends cut short.
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("cut short", stopReason: "max_tokens");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        ChatCompletion completion = await gateway.OpenAiChat().CompleteChatAsync(
            [new UserChatMessage("write a lot")],
            new ChatCompletionOptions { MaxOutputTokenCount = 1000 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.StartsWith("cut short", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal("1000", Assert.Single(upstream.MessageRequests.Select(r => r.MaxTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct()));
    }

    [Fact]
    public async Task The_prompt_goes_to_the_CLI_on_stdin_and_never_on_its_command_line()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        using var cli = FakeCliScript.Create(
            $"head -n 1 > \"$STDIN_FILE\"; echo '{FakeCliScript.InitLine}'; echo '{FakeCliScript.SuccessResult("ok")}'");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:BinaryPath"] = cli.Path;

            // A standby process would be one more start of the stand-in CLI.
            s["ClaudeActors:Processes:Standby"] = "0";
        });

        await gateway.OpenAiChat().CompleteChatAsync([new SystemChatMessage("SECRET-SYSTEM"), new UserChatMessage("SECRET-PROMPT")]);

        var argv = Assert.Single(cli.ArgvFiles);
        Assert.DoesNotContain("SECRET", argv, StringComparison.Ordinal);
        Assert.Contains("--tools\n\n", argv, StringComparison.Ordinal);
        Assert.Contains("SECRET-PROMPT", Assert.Single(cli.StdinFiles), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CLI_inherits_the_server_environment()
    {
        var name = "CLAUDE_ACTORS_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "inherited-value");
        try
        {
            await using var upstream = await FakeAnthropicServer.StartAsync();
            using var cli = FakeCliScript.Create(
                $"head -n 1 > /dev/null; echo '{FakeCliScript.InitLine}'; echo \"{FakeCliScript.SuccessResult("$" + name).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
            await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Cli:BinaryPath"] = cli.Path);

            ChatCompletion completion = await gateway.OpenAiChat().CompleteChatAsync([new UserChatMessage("env?")]);

            Assert.Equal("inherited-value", completion.Content[0].Text);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
