using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Server.Security;

/// <summary>
/// Keeps web pages out. A browser on this machine can reach a loopback server too: a page that rebinds its own DNS
/// name to 127.0.0.1 sends its name as <c>Host</c> (400), a page from another site sends its <c>Origin</c> (403), and
/// a cross-site form or "simple" request can only send a non-JSON content type (415). Clients that are not browsers
/// send a loopback <c>Host</c>, no <c>Origin</c> and JSON, and pass.
/// </summary>
internal sealed class RequestGuard(RequestDelegate next, IOptions<ServerOptions> options)
{
    private readonly HostPolicy _hosts = new(options.Value.HostsAllowed());
    private readonly OriginPolicy _origins = new(options.Value.OriginsAllowed());

    public Task InvokeAsync(HttpContext http) => Refusal(http) is { } refusal ? refusal.ExecuteAsync(http) : next(http);

    private IResult? Refusal(HttpContext http)
    {
        var request = http.Request;
        var host = request.Headers.Host.ToString();
        if (!_hosts.Allows(host))
        {
            return OpenAiErrors.Json(
                StatusCodes.Status400BadRequest,
                $"This server does not answer to the host '{host}'. Behind a proxy, add the name to {ServerOptions.SectionName}:AllowedHosts.",
                "invalid_request_error",
                code: "host_not_allowed");
        }

        var origin = request.Headers.Origin;
        if (origin.Count > 0 && (origin.Count > 1 || !_origins.Allows(origin.ToString())))
        {
            return OpenAiErrors.Json(
                StatusCodes.Status403Forbidden,
                $"Requests from the web origin '{origin}' are not accepted. To let pages there call this server, add it to {ServerOptions.SectionName}:AllowedOrigins.",
                "permission_error",
                code: "origin_not_allowed");
        }

        if (HasBody(http) && !JsonContentType.Is(request.ContentType))
        {
            return OpenAiErrors.Json(
                StatusCodes.Status415UnsupportedMediaType,
                $"The request body must be JSON, sent with Content-Type: application/json (got '{request.ContentType ?? "none"}').",
                "invalid_request_error",
                code: "unsupported_media_type");
        }

        return null;
    }

    /// <summary>Whether the request carries a body (a length above zero, or chunked).</summary>
    internal static bool HasBody(HttpContext http) =>
        http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0);
}
