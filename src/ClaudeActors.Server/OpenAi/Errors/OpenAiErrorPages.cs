using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace ClaudeActors.Server.OpenAi.Errors;

/// <summary>
/// Every error the pipeline answers without a body of its own (an unknown route, a wrong method, a failed binding,
/// an unhandled exception) gets one in the OpenAI error shape, so a client never has to parse an empty or HTML body.
/// </summary>
internal static class OpenAiErrorPages
{
    public static WebApplication UseOpenAiErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = http => OpenAiErrors.Json(500, "The server failed while answering this request.", "server_error", code: "internal_error").ExecuteAsync(http),
        });
        app.UseStatusCodePages(context => ForStatus(context.HttpContext).ExecuteAsync(context.HttpContext));
        return app;
    }

    private static IResult ForStatus(HttpContext http)
    {
        var request = http.Request;
        var status = http.Response.StatusCode;
        var target = $"{request.Method} {request.PathBase}{request.Path}";
        return status switch
        {
            404 => OpenAiErrors.Json(404, $"Invalid URL ({target}).", "invalid_request_error", code: "unknown_url"),
            405 => OpenAiErrors.Json(405, $"The method is not allowed for this URL ({target}).", "invalid_request_error", code: "method_not_allowed"),
            >= 500 => OpenAiErrors.Json(status, ReasonPhrases.GetReasonPhrase(status), "server_error"),
            _ => OpenAiErrors.Json(status, $"{ReasonPhrases.GetReasonPhrase(status)} ({target}).", "invalid_request_error"),
        };
    }
}
