using ClaudeActors.Chat;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClaudeActors.Server.OpenAi.Errors;

/// <summary>Maps failures to the status, type and code an OpenAI client expects.</summary>
internal static class OpenAiErrors
{
    /// <summary>The code of every error that says the journal could not store (or read) what was asked.</summary>
    public const string JournalUnavailableCode = "journal_unavailable";

    public static JsonHttpResult<OpenAiErrorBody> Json(int status, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(new OpenAiErrorBody(new OpenAiError(message, type, param, code)), OpenAiJson.Options, statusCode: status);

    public static (int Status, OpenAiError Error) From(ChatFailure failure) => failure.Kind switch
    {
        ChatFailureKind.InvalidRequest => (400, Error(failure, "invalid_request_error", null)),
        ChatFailureKind.ContextLengthExceeded => (400, new OpenAiError(failure.Message, "invalid_request_error", "messages", "context_length_exceeded")),
        ChatFailureKind.Authentication => (401, Error(failure, "authentication_error", "invalid_api_key")),
        ChatFailureKind.PermissionDenied => (403, Error(failure, "permission_error", null)),
        ChatFailureKind.NotFound => (404, Error(failure, "invalid_request_error", "model_not_found")),
        ChatFailureKind.RateLimited => (429, Error(failure, "rate_limit_error", "rate_limit_exceeded")),
        ChatFailureKind.Saturated => (429, Error(failure, "rate_limit_error", "server_busy")),
        ChatFailureKind.Overloaded => (503, Error(failure, "server_error", "overloaded")),
        ChatFailureKind.Timeout => (504, Error(failure, "timeout_error", "timeout")),
        ChatFailureKind.CliUnavailable => (503, Error(failure, "server_error", "cli_unavailable")),
        ChatFailureKind.JournalUnavailable => (503, Error(failure, "server_error", JournalUnavailableCode)),
        ChatFailureKind.WorkspaceUnavailable => (503, Error(failure, "server_error", "workspace_unavailable")),
        ChatFailureKind.ProcessFailed => (502, Error(failure, "server_error", "cli_failed")),
        ChatFailureKind.Internal => (500, Error(failure, "server_error", "internal_error")),
        ChatFailureKind.ShuttingDown => (503, Error(failure, "server_error", "server_shutting_down")),
        ChatFailureKind.NodeLeft => (503, Error(failure, "server_error", "node_left")),
        ChatFailureKind.IdempotencyKeyReused => (409, Error(failure, "invalid_request_error", "idempotency_key_reused")),
        ChatFailureKind.InvalidSchema => (400, new OpenAiError(failure.Message, "invalid_request_error", "response_format", "invalid_json_schema")),
        ChatFailureKind.StructuredOutputFailed => (422, new OpenAiError(failure.Message, "invalid_request_error", "response_format", "structured_output_failed")),
        ChatFailureKind.BudgetExceeded => (429, Error(failure, "insufficient_quota", "max_budget_exceeded")),
        ChatFailureKind.PreviousResponseNotLatest => (400, new OpenAiError(failure.Message, "invalid_request_error", "previous_response_id", "previous_response_not_latest")),
        _ => (502, Error(failure, "server_error", "upstream_error")),
    };

    /// <summary>A <c>Retry-After</c> value: whole seconds, rounded up, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The HTTP answer for a failure before anything was streamed, with <c>Retry-After</c> where it helps.</summary>
    public static IResult Result(ChatFailure failure, HttpResponse response)
    {
        var (status, error) = From(failure);
        // A spent budget is not a wait: the same request would reach it again, so no Retry-After invites a retry.
        var retryAfter = failure.RetryAfter ?? (status is 429 or 503 && failure.Kind != ChatFailureKind.BudgetExceeded ? TimeSpan.FromSeconds(5) : null);
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = RetryAfterSeconds(wait);
        }

        return TypedResults.Json(new OpenAiErrorBody(error), OpenAiJson.Options, statusCode: status);
    }

    private static OpenAiError Error(ChatFailure failure, string type, string? code) => new(failure.Message, type, null, code);
}
