using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Chat;

/// <summary>
/// Decides what a CLI result or a process's end means: success, a failure retrying can fix, or one it cannot.
/// Upstream API failures come as <c>is_error</c> with <c>api_error_status</c>; others only as text.
/// </summary>
internal static class CliFailureClassifier
{
    /// <summary>The result subtype of a turn whose model never satisfied the <c>--json-schema</c>.</summary>
    public const string StructuredOutputRetriesSubtype = "error_max_structured_output_retries";

    /// <summary>The result subtype of a turn that reached <c>--max-budget-usd</c>.</summary>
    public const string MaxBudgetSubtype = "error_max_budget_usd";

    /// <summary>What the CLI prints (on stderr, then exits 1) for a <c>--json-schema</c> that Ajv refuses.</summary>
    private const string InvalidSchemaText = "--json-schema is not a valid JSON Schema:";

    /// <summary>The failure a result stands for, or null when the turn succeeded.</summary>
    public static ChatFailure? Classify(CliResult result)
    {
        if (!result.IsError && result.Subtype == "success")
        {
            return null;
        }

        var text = Describe(result);
        if (result.Subtype == StructuredOutputRetriesSubtype)
        {
            return Failure(
                ChatFailureKind.StructuredOutputFailed,
                $"The model gave no answer that satisfies response_format's schema ({text}). Check that the schema can be satisfied, or loosen it.",
                isTransient: false);
        }

        if (result.Subtype == MaxBudgetSubtype)
        {
            // The CLI checks the cap between upstream calls: the call that crossed it has run, and the turn ends here.
            return Failure(
                ChatFailureKind.BudgetExceeded,
                $"The request reached its spending cap ({text}). Raise max_budget_usd (or the server's ClaudeActors:Cli:MaxBudgetUsd), or ask for less.",
                isTransient: false);
        }

        if (IsPromptTooLong(result, text))
        {
            return Failure(
                ChatFailureKind.ContextLengthExceeded,
                $"The conversation is too long for the model's context window ({text}). Send fewer or shorter messages, or start a new conversation.",
                isTransient: false);
        }

        var (kind, transient) = result.ApiErrorStatus switch
        {
            429 => (ChatFailureKind.RateLimited, true),
            529 => (ChatFailureKind.Overloaded, true),
            408 => (ChatFailureKind.Timeout, true),
            >= 500 => (ChatFailureKind.UpstreamError, true),
            401 => (ChatFailureKind.Authentication, false),
            403 => (ChatFailureKind.PermissionDenied, false),
            404 => (ChatFailureKind.NotFound, false),
            400 or 413 or 422 => (ChatFailureKind.InvalidRequest, false),
            not null => (ChatFailureKind.UpstreamError, false),
            null when ContainsAny(text, "Not logged in", "Invalid API key", "/login", "OAuth token", "authentication_error") =>
                (ChatFailureKind.Authentication, false),
            null when ContainsAny(text, "Connection error", "Connection to the API was lost", "Connection dropped", "ECONNREFUSED", "ECONNRESET", "socket hang up", "fetch failed", "timed out", "terminated", "overloaded") =>
                (ChatFailureKind.UpstreamError, true),
            null => (ChatFailureKind.UpstreamError, false),
        };
        return Failure(kind, text, transient);
    }

    /// <summary>
    /// The CLI reports a turn that ran into the output token limit as an error ("exceeded the N output token
    /// maximum"), after trying to continue it itself.
    /// </summary>
    public static bool IsOutputLimit(CliResult result) =>
        result.IsError && result.ApiErrorStatus is null
        && (result.Result ?? "").Contains("output token maximum", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The upstream refused the prompt as longer than the context window (HTTP 400 "prompt is too long: N tokens &gt; M
    /// maximum"). The CLI first tries to compact a conversation of several exchanges, then ends the turn with
    /// <c>terminal_reason</c> <c>prompt_too_long</c> and its own text ("Prompt is too long ...").
    /// </summary>
    private static bool IsPromptTooLong(CliResult result, string text) =>
        result.TerminalReason == "prompt_too_long"
        || (result.ApiErrorStatus == 400 && text.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase));

    /// <summary>The process ended before it printed a result: a crash, which a new process may not repeat.</summary>
    public static ChatFailure ProcessEnded(int exitCode, string stderrTail)
    {
        var schemaError = stderrTail.IndexOf(InvalidSchemaText, StringComparison.Ordinal);
        if (schemaError >= 0)
        {
            // The CLI checks a --json-schema (with Ajv) before it starts: its words name what is wrong.
            var reason = stderrTail[(schemaError + InvalidSchemaText.Length)..].Split('\n', 2)[0].Trim();
            return Failure(ChatFailureKind.InvalidSchema, $"response_format.json_schema.schema is not a valid JSON Schema: {reason}", isTransient: false);
        }

        var detail = string.IsNullOrWhiteSpace(stderrTail) ? "" : ": " + LastLines(stderrTail, 5);
        return Failure(ChatFailureKind.ProcessFailed, $"The Claude CLI exited with code {exitCode} before it answered{detail}", isTransient: true);
    }

    /// <summary>A failure with the CLI's text for the client, its paths taken out; the whole text stays inside, for the log.</summary>
    private static ChatFailure Failure(ChatFailureKind kind, string text, bool isTransient)
    {
        var shown = ClientText.Redact(text);
        return new ChatFailure(kind, shown, isTransient, inner: shown == text ? null : new CliOutput(text));
    }

    private static string Describe(CliResult result)
    {
        if (!string.IsNullOrWhiteSpace(result.Result))
        {
            return result.Result;
        }

        return result.Errors.Count > 0
            ? string.Join("; ", result.Errors)
            : $"The Claude CLI ended the turn with '{result.Subtype}' ({result.TerminalReason ?? "no reason given"}).";
    }

    private static bool ContainsAny(string text, params string[] needles)
    {
        foreach (var needle in needles)
        {
            if (text.Contains(needle, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
