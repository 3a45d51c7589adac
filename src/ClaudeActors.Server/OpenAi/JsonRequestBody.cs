using System.Text.Json;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.OpenAi;

/// <summary>Reads a request's JSON body with an endpoint's reader; a body that is not JSON, or that the reader refuses, is a 400.</summary>
internal static class JsonRequestBody
{
    /// <summary>The value <paramref name="read"/> makes of the body, or null and the error to answer.</summary>
    public static async Task<(T? Value, IResult? Refusal)> ReadAsync<T>(HttpRequest request, Func<JsonElement, T> read)
        where T : class
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            return (read(document.RootElement), null);
        }
        catch (Exception ex) when (Refusal(ex) is { } refusal)
        {
            return (null, refusal);
        }
    }

    /// <summary>The 400 (or the status Kestrel chose) for a body that cannot be read as a request; null for other exceptions.</summary>
    public static IResult? Refusal(Exception exception) => exception switch
    {
        JsonException => OpenAiErrors.Json(400, "We could not parse the JSON body of your request: it is not valid JSON.", "invalid_request_error"),
        RequestValidationException invalid => OpenAiErrors.Json(400, invalid.Message, "invalid_request_error", invalid.Param, invalid.Code),
        BadHttpRequestException bad => OpenAiErrors.Json(bad.StatusCode, bad.Message, "invalid_request_error"),
        _ => null,
    };
}
