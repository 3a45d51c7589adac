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
        catch (JsonException)
        {
            return (null, OpenAiErrors.Json(400, "We could not parse the JSON body of your request: it is not valid JSON.", "invalid_request_error"));
        }
        catch (RequestValidationException ex)
        {
            return (null, OpenAiErrors.Json(400, ex.Message, "invalid_request_error", ex.Param, ex.Code));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, OpenAiErrors.Json(ex.StatusCode, ex.Message, "invalid_request_error"));
        }
    }
}
