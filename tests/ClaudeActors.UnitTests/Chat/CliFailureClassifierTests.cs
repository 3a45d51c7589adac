using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.UnitTests.Chat;

public sealed class CliFailureClassifierTests
{
    private static CliResult Result(
        string subtype = "success",
        bool isError = true,
        int? status = null,
        string? text = null,
        IReadOnlyList<string>? errors = null,
        string? terminalReason = "api_error") => new()
    {
        Subtype = subtype,
        IsError = isError,
        ApiErrorStatus = status,
        Result = text,
        Errors = errors ?? [],
        TerminalReason = terminalReason,
    };

    [Fact]
    public void Classify_Success_GivesNull()
    {
        Assert.Null(CliFailureClassifier.Classify(Result(isError: false, text: "Echo: hi", terminalReason: "completed")));
    }

    [Fact]
    public void Classify_SubtypeSuccessButIsError_IsAFailure()
    {
        var failure = CliFailureClassifier.Classify(Result(status: 529, text: "API Error: 529 Overloaded."));

        Assert.NotNull(failure);
    }

    [Fact]
    public void Classify_ErrorSubtypeWithoutIsError_IsAFailure()
    {
        var failure = CliFailureClassifier.Classify(Result(subtype: "error_max_turns", isError: false, terminalReason: null));

        Assert.NotNull(failure);
    }

    [Theory]
    [InlineData(429, ChatFailureKind.RateLimited, "API Error: Request rejected (429) · Rate limited")]
    [InlineData(529, ChatFailureKind.Overloaded, "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment.")]
    [InlineData(500, ChatFailureKind.UpstreamError, "API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment.")]
    [InlineData(502, ChatFailureKind.UpstreamError, "API Error: 502 Bad gateway")]
    [InlineData(503, ChatFailureKind.UpstreamError, "API Error: 503 Service unavailable")]
    [InlineData(408, ChatFailureKind.Timeout, "API Error: 408 Request timeout")]
    public void Classify_TransientStatus_IsTransientWithItsKind(int status, ChatFailureKind kind, string text)
    {
        var failure = CliFailureClassifier.Classify(Result(status: status, text: text));

        Assert.NotNull(failure);
        Assert.True(failure.IsTransient);
        Assert.Equal(kind, failure.Kind);
        Assert.Equal(text, failure.Message);
    }

    [Theory]
    [InlineData(400, ChatFailureKind.InvalidRequest, "API Error: 400 Bad request xyz")]
    [InlineData(413, ChatFailureKind.InvalidRequest, "API Error: 413 Request too large")]
    [InlineData(401, ChatFailureKind.Authentication, "Invalid API key · Fix external API key")]
    [InlineData(403, ChatFailureKind.PermissionDenied, "API Error: 403 Forbidden")]
    [InlineData(404, ChatFailureKind.NotFound, "There's an issue with the selected model (claude-opus-5-5). It may not exist or you may not have access to it. Run --model to pick a different model.")]
    public void Classify_PermanentStatus_IsPermanentWithItsKind(int status, ChatFailureKind kind, string text)
    {
        var failure = CliFailureClassifier.Classify(Result(status: status, text: text));

        Assert.NotNull(failure);
        Assert.False(failure.IsTransient);
        Assert.Equal(kind, failure.Kind);
        Assert.Equal(text, failure.Message);
    }

    /// <summary>The result lines the pinned CLI prints for a single exchange and for a conversation it failed to compact.</summary>
    [Theory]
    [InlineData(400, "prompt_too_long", "Prompt is too long · the request is ~212345 tokens (limit 200000) but this conversation is only ~258 tokens")]
    [InlineData(400, "prompt_too_long", "Prompt is too long")]
    [InlineData(null, "prompt_too_long", "Prompt is too long")]
    [InlineData(400, "api_error", "API Error: 400 prompt is too long: 212345 tokens > 200000 maximum")]
    public void Classify_PromptTooLong_IsAPermanentContextLengthFailure(int? status, string terminalReason, string text)
    {
        var failure = CliFailureClassifier.Classify(Result(status: status, text: text, terminalReason: terminalReason));

        Assert.NotNull(failure);
        Assert.False(failure.IsTransient);
        Assert.Equal(ChatFailureKind.ContextLengthExceeded, failure.Kind);
        Assert.Contains(text, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_StatusWins_OverText()
    {
        // A 529 whose text happens to mention logging in is still an overload.
        var failure = CliFailureClassifier.Classify(Result(status: 529, text: "Overloaded; Please run /login later"));

        Assert.NotNull(failure);
        Assert.Equal(ChatFailureKind.Overloaded, failure.Kind);
    }

    [Fact]
    public void Classify_NotLoggedInWithoutStatus_IsAuthentication()
    {
        var failure = CliFailureClassifier.Classify(Result(text: "Not logged in · Please run /login"));

        Assert.NotNull(failure);
        Assert.Equal(ChatFailureKind.Authentication, failure.Kind);
        Assert.False(failure.IsTransient);
    }

    [Theory]
    [InlineData("API Error: Connection to the API was lost (ECONNRESET). This is usually temporary — try again.")]
    [InlineData("API Error: Connection dropped (ECONNRESET). Check the gateway set in ANTHROPIC_BASE_URL, then try again.")]
    [InlineData("API Error: Connection error.")]
    [InlineData("API Error: connect ECONNREFUSED 127.0.0.1:18181")]
    [InlineData("API Error: Request timed out.")]
    public void Classify_ConnectionLossWithoutStatus_IsTransient(string text)
    {
        var failure = CliFailureClassifier.Classify(Result(text: text));

        Assert.NotNull(failure);
        Assert.True(failure.IsTransient);
        Assert.Equal(ChatFailureKind.UpstreamError, failure.Kind);
        Assert.Equal(ClientText.Redact(text), failure.Message);
        Assert.DoesNotContain("127.0.0.1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_UnknownText_IsPermanentUpstreamError()
    {
        var failure = CliFailureClassifier.Classify(Result(text: "Something entirely new went wrong"));

        Assert.NotNull(failure);
        Assert.False(failure.IsTransient);
        Assert.Equal(ChatFailureKind.UpstreamError, failure.Kind);
    }

    [Fact]
    public void Classify_UnknownStatus_IsPermanentUpstreamError()
    {
        var failure = CliFailureClassifier.Classify(Result(status: 418, text: "API Error: 418 I'm a teapot"));

        Assert.NotNull(failure);
        Assert.False(failure.IsTransient);
        Assert.Equal(ChatFailureKind.UpstreamError, failure.Kind);
    }

    [Fact]
    public void Classify_ResultWithoutTextButWithErrors_UsesTheErrors()
    {
        var failure = CliFailureClassifier.Classify(Result(
            subtype: "error_during_execution",
            errors: ["No conversation found with session ID: 99999999-9999-4999-8999-999999999999"],
            terminalReason: null));

        Assert.NotNull(failure);
        Assert.Contains("No conversation found", failure.Message, StringComparison.Ordinal);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public void Classify_ResultWithoutTextOrErrors_NamesSubtypeAndReason()
    {
        var failure = CliFailureClassifier.Classify(Result(subtype: "error_max_budget_usd", terminalReason: "max_budget"));

        Assert.NotNull(failure);
        Assert.Contains("error_max_budget_usd", failure.Message, StringComparison.Ordinal);
        Assert.Contains("max_budget", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessEnded_IsTransientProcessFailureWithTheStderrTail()
    {
        var failure = CliFailureClassifier.ProcessEnded(1, "Error: Session ID 44444444-4444-4444-8444-444444444444 is already in use.\n");

        Assert.Equal(ChatFailureKind.ProcessFailed, failure.Kind);
        Assert.True(failure.IsTransient);
        Assert.Contains("exited with code 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Session ID 44444444-4444-4444-8444-444444444444 is already in use.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessEnded_LongStderr_KeepsOnlyTheLastLines()
    {
        var stderr = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));

        var failure = CliFailureClassifier.ProcessEnded(143, stderr);

        Assert.Contains("line 20", failure.Message, StringComparison.Ordinal);
        Assert.Contains("line 16", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line 15", failure.Message, StringComparison.Ordinal);
        Assert.Contains("143", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessEnded_EmptyStderr_GivesAPlainMessage()
    {
        var failure = CliFailureClassifier.ProcessEnded(143, "  \n");

        Assert.Equal("The Claude CLI exited with code 143 before it answered", failure.Message);
    }

    [Fact]
    public void ProcessEnded_StderrWithPaths_ShowsTheClientNoPath_AndKeepsTheWholeTextForTheLog()
    {
        const string stderr = "Error: EACCES: permission denied, open '/home/alice/.claude/settings.json'\n    at open (/usr/lib/node_modules/cli.js:12:3)\n";

        var failure = CliFailureClassifier.ProcessEnded(1, stderr);

        Assert.DoesNotContain("/home/alice", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/usr/lib", failure.Message, StringComparison.Ordinal);
        Assert.Contains("EACCES: permission denied, open '<path>'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("/home/alice/.claude/settings.json", Assert.IsType<CliOutput>(failure.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ErrorTextWithAPath_ShowsTheClientNoPath()
    {
        var failure = CliFailureClassifier.Classify(Result(text: "Error: ENOENT: no such file or directory, scandir '/srv/data/workspace'"));

        Assert.NotNull(failure);
        Assert.Equal("Error: ENOENT: no such file or directory, scandir '<path>'", failure.Message);
    }

    [Theory]
    [InlineData("Not logged in · Please run /login", "Not logged in · Please run /login")]
    [InlineData("API Error: 529 https://gateway.internal:8443/v1/messages", "API Error: 529 <address>")]
    [InlineData(
        "API Error: 500 Internal server error. If it persists, check your inference gateway (127.0.0.1:48112).",
        "API Error: 500 Internal server error. If it persists, check your inference gateway (<address>).")]
    [InlineData("upstream llm-proxy.corp:443 refused, [::1]:8080 too", "upstream <address> refused, <address> too")]
    [InlineData("retry at 10:45, in 5 s", "retry at 10:45, in 5 s")]
    [InlineData("cannot read ~/.claude/settings.json", "cannot read <path>")]
    [InlineData(@"cannot open C:\Users\x\claude.exe now", "cannot open <path> now")]
    [InlineData("(/opt/claude/cli.js:1:2)", "(<path>:1:2)")]
    public void ClientText_Redact_ReplacesPathsAndAddressesAndKeepsCommands(string text, string expected)
    {
        Assert.Equal(expected, ClientText.Redact(text));
    }

    [Fact]
    public void Classify_MaxStructuredOutputRetries_IsAPermanentStructuredOutputFailure()
    {
        var failure = CliFailureClassifier.Classify(Result(
            subtype: "error_max_structured_output_retries", errors: ["Failed to provide valid structured output after 5 attempts"], terminalReason: null));

        Assert.NotNull(failure);
        Assert.Equal(ChatFailureKind.StructuredOutputFailed, failure.Kind);
        Assert.False(failure.IsTransient);
        Assert.Contains("after 5 attempts", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessEnded_OnAnInvalidJsonSchema_IsAPermanentInvalidSchemaWithTheCliReason()
    {
        var failure = CliFailureClassifier.ProcessEnded(1, "Error: --json-schema is not a valid JSON Schema: data/required must be array\n");

        Assert.Equal(ChatFailureKind.InvalidSchema, failure.Kind);
        Assert.False(failure.IsTransient);
        Assert.Equal("response_format.json_schema.schema is not a valid JSON Schema: data/required must be array", failure.Message);
    }
}
