using System.Text.RegularExpressions;
using ClaudeActors.Server.OpenAi.Errors;

namespace ClaudeActors.Server.Security;

/// <summary>
/// Checks the API key of every request under <c>/v1</c> (<c>Authorization: Bearer &lt;key&gt;</c> or <c>x-api-key</c>)
/// and sets its <see cref="Caller"/>. A missing, unknown or disabled key gets 401 <c>invalid_api_key</c> (in Anthropic's
/// shape under <c>/v1/messages</c>, by <c>AnthropicSurface</c>). An admin key may act in another tenant, named by the
/// <c>X-Tenant</c> header. What shows the whole server (<c>/v1/cluster</c>, <c>/v1/status</c>, the Prometheus scrape at
/// <c>/metrics</c>) needs an admin key. With no key configured every request is <see cref="Caller.Open"/>. Health and the
/// status page's own HTML stay open (the page asks for a key when its data answers 401).
/// </summary>
internal sealed partial class ApiKeyAuthentication(RequestDelegate next, ApiKeys keys)
{
    /// <summary>The header an admin key names the tenant to act in with.</summary>
    public const string TenantHeader = "X-Tenant";

    /// <summary>What only an admin key may read: the cluster's nodes and their load, the status page's data, the metrics.</summary>
    private static readonly string[] AdminOnlyPaths = ["/v1/cluster", "/v1/status", "/metrics"];

    public Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        if (!path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase))
        {
            return next(http);
        }

        var table = keys.Table;
        if (keys.Open && table.Count == 0)
        {
            return Continue(http, Caller.Open);
        }

        var presented = Presented(http.Request);
        if (presented is null || table.Find(presented) is not { } key)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            var message = presented is null
                ? "No API key: send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'."
                : "Incorrect API key provided.";
            return OpenAiErrors.Json(StatusCodes.Status401Unauthorized, message, "authentication_error", code: "invalid_api_key").ExecuteAsync(http);
        }

        if (!key.Admin && AdminOnlyPaths.Any(admin => path.StartsWithSegments(admin, StringComparison.OrdinalIgnoreCase)))
        {
            return OpenAiErrors.Json(StatusCodes.Status403Forbidden, $"Only an admin key may read {path.Value}.", "permission_error", code: "admin_only").ExecuteAsync(http);
        }

        var named = http.Request.Headers[TenantHeader].ToString();
        if (named.Length > 0 && !key.Admin)
        {
            return OpenAiErrors.Json(
                StatusCodes.Status403Forbidden,
                $"Only an admin key may name a tenant with {TenantHeader}.",
                "permission_error",
                code: "tenant_not_allowed").ExecuteAsync(http);
        }

        if (named.Length > 0 && !TenantName().IsMatch(named))
        {
            // The rule of a key's tenant (ApiKeyOptions.Tenant): never the separator of conversation ids, nor anything odd.
            return OpenAiErrors.Json(
                StatusCodes.Status400BadRequest,
                $"{TenantHeader} must be 1 to 64 letters, digits, '.', '_' or '-'.",
                "invalid_request_error",
                code: "invalid_tenant").ExecuteAsync(http);
        }

        var caller = new Caller(named.Length > 0 ? named : key.Tenant, key.Admin, key) { SeesAll = key.Admin && named.Length == 0 };

        return Continue(http, caller);
    }

    private Task Continue(HttpContext http, Caller caller)
    {
        http.Features.Set(caller);
        return next(http);
    }

    [GeneratedRegex(ApiKeyOptions.TenantPattern)]
    private static partial Regex TenantName();

    /// <summary>The key sent: the Bearer token, else <c>x-api-key</c>; null when neither is there.</summary>
    internal static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization[7..].Trim() is { Length: > 0 } bearer)
        {
            return bearer;
        }

        return request.Headers["x-api-key"].ToString() is { Length: > 0 } header ? header.Trim() : null;
    }
}
