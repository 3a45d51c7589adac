using ClaudeActors.Server.OpenAi;

namespace ClaudeActors.Server.Anthropic.Errors;

/// <summary>The <c>request-id</c> every answer of the Anthropic surface carries (<c>req_...</c>), errors included.</summary>
internal static class RequestIds
{
    public const string Header = "request-id";

    private static readonly object Key = new();

    /// <summary>The request's id, made on first use and sent as the <c>request-id</c> header.</summary>
    public static string Of(HttpContext http)
    {
        if (http.Items.TryGetValue(Key, out var existing) && existing is string id)
        {
            return id;
        }

        id = "req_" + RandomIds.Next();
        http.Items[Key] = id;
        if (!http.Response.HasStarted)
        {
            http.Response.Headers[Header] = id;
        }

        return id;
    }
}
