using System.Text.Json.Nodes;
using ClaudeActors.Chat;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.Anthropic.Errors;

/// <summary>
/// Errors in Anthropic's shape, <c>{"type":"error","error":{"type","message"},"request_id"}</c>, with the statuses the
/// Anthropic SDKs map to their exceptions. The status of a failure is the one the OpenAI surface gives, except an
/// overloaded upstream, which is Anthropic's own 529.
/// </summary>
internal static class AnthropicErrors
{
    /// <summary>Anthropic's status for an overloaded API.</summary>
    public const int Overloaded = 529;

    /// <summary>The Anthropic error type for an HTTP status.</summary>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 or 405 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        Overloaded => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    /// <summary>The status and message of a failed turn.</summary>
    public static (int Status, string Message) From(ChatFailure failure)
    {
        var status = failure.Kind == ChatFailureKind.Overloaded ? Overloaded : OpenAiErrors.From(failure).Status;
        return (status, failure.Message);
    }

    /// <summary>The error object (also the <c>data</c> of a stream's <c>error</c> event).</summary>
    public static JsonObject Body(int status, string message, string? requestId)
    {
        var body = new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = TypeFor(status), ["message"] = message },
        };
        if (requestId is not null)
        {
            body["request_id"] = requestId;
        }

        return body;
    }

    /// <summary>
    /// An error answer. A final 4xx says <c>x-should-retry: false</c>: the Anthropic SDKs would retry a 409 (and any
    /// status they retry) otherwise.
    /// </summary>
    public static IResult Json(HttpContext http, int status, string message)
    {
        if (status is >= 400 and < 500 and not 408 and not 429)
        {
            http.Response.Headers["x-should-retry"] = "false";
        }

        return Results.Content(AnthropicJson.Write(Body(status, message, RequestIds.Of(http))), "application/json", System.Text.Encoding.UTF8, status);
    }

    /// <summary>The answer for a failure before anything was streamed, with <c>Retry-After</c> where it helps.</summary>
    public static IResult Result(HttpContext http, ChatFailure failure)
    {
        var (status, message) = From(failure);
        if (failure.Kind == ChatFailureKind.BudgetExceeded)
        {
            // Not a wait: the same request would reach the cap again, so the SDKs must not retry this 429.
            http.Response.Headers["x-should-retry"] = "false";
        }
        else if ((failure.RetryAfter ?? (status is 429 or 503 or Overloaded ? TimeSpan.FromSeconds(5) : null)) is { } wait)
        {
            http.Response.Headers.RetryAfter = OpenAiErrors.RetryAfterSeconds(wait);
        }

        return Json(http, status, message);
    }
}
