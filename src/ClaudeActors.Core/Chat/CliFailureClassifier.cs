using ClaudeActors.Cli.Protocol;

namespace ClaudeActors.Chat;

/// <summary>
/// Decides what a CLI result or a process's end means: success, a failure retrying can fix, or one it cannot.
/// Upstream API failures come as <c>is_error</c> with <c>api_error_status</c>; others only as text.
/// </summary>
internal static class CliFailureClassifier
{
    /// <summary>The failure a result stands for, or null when the turn succeeded.</summary>
    public static ChatFailure? Classify(CliResult result)
    {
        if (!result.IsError && result.Subtype == "success")
        {
            return null;
        }

        var text = Describe(result);
        if (IsPromptTooLong(result, text))
        {
            return new ChatFailure(
                ChatFailureKind.ContextLengthExceeded,
                $"The conversation is too long for the model's context window ({text}). Send fewer or shorter messages, or start a new conversation.",
                isTransient: false);
        }

        if (result.ApiErrorStatus is { } status)
        {
            return status switch
            {
                429 => new ChatFailure(ChatFailureKind.RateLimited, text, isTransient: true),
                529 => new ChatFailure(ChatFailureKind.Overloaded, text, isTransient: true),
                408 => new ChatFailure(ChatFailureKind.Timeout, text, isTransient: true),
                >= 500 => new ChatFailure(ChatFailureKind.UpstreamError, text, isTransient: true),
                401 => new ChatFailure(ChatFailureKind.Authentication, text, isTransient: false),
                403 => new ChatFailure(ChatFailureKind.PermissionDenied, text, isTransient: false),
                404 => new ChatFailure(ChatFailureKind.NotFound, text, isTransient: false),
                400 or 413 or 422 => new ChatFailure(ChatFailureKind.InvalidRequest, text, isTransient: false),
                _ => new ChatFailure(ChatFailureKind.UpstreamError, text, isTransient: false),
            };
        }

        if (ContainsAny(text, "Not logged in", "Invalid API key", "/login", "OAuth token", "authentication_error"))
        {
            return new ChatFailure(ChatFailureKind.Authentication, text, isTransient: false);
        }

        if (ContainsAny(text, "Connection error", "Connection to the API was lost", "Connection dropped", "ECONNREFUSED", "ECONNRESET", "socket hang up", "fetch failed", "timed out", "terminated", "overloaded"))
        {
            return new ChatFailure(ChatFailureKind.UpstreamError, text, isTransient: true);
        }

        return new ChatFailure(ChatFailureKind.UpstreamError, text, isTransient: false);
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
        var detail = string.IsNullOrWhiteSpace(stderrTail) ? "" : ": " + LastLines(stderrTail, 5);
        return new ChatFailure(
            ChatFailureKind.ProcessFailed,
            $"The Claude CLI exited with code {exitCode} before it answered{detail}",
            isTransient: true);
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
