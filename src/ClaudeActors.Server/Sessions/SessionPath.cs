using Microsoft.AspNetCore.Http.Features;

namespace ClaudeActors.Server.Sessions;

/// <summary>
/// The conversation id in a Session API path, read from the raw request target. Kestrel decodes every escape of the
/// path except <c>%2F</c> before routing, so <c>a%252Fb</c> and <c>a%2Fb</c> would both reach a route value as
/// <c>a%2Fb</c>; the raw segment is percent-decoded exactly once instead (<see cref="SessionIdEncoding"/>). An id is
/// one path segment: <c>a/b</c> is sent as <c>a%2Fb</c>, a literal <c>%2F</c> as <c>%252F</c>.
/// </summary>
internal static class SessionPath
{
    /// <summary>
    /// The id in the segment <paramref name="fromEnd"/> places from the end of the path (1: the last), or null when the
    /// raw path does not have the segments the request was routed by (a dot segment that was removed) or the segment
    /// is not percent-encoded UTF-8. An id with a control character is null too: no conversation has one (<see
    /// cref="ClaudeActors.Conversations.ConversationIds.Validate"/>), and the tenant separator (<see cref="ClaudeActors.Tenants.ConversationKey.Separator"/>)
    /// must never reach another tenant's conversation.
    /// </summary>
    public static string? Id(HttpContext http, int fromEnd)
    {
        var raw = Segments(RawPath(http));
        var routed = Segments((http.Request.PathBase + http.Request.Path).Value ?? "");
        if (raw.Length != routed.Length || raw.Length <= fromEnd)
        {
            return null;
        }

        return SessionIdEncoding.TryDecode(raw[^fromEnd], out var id) && id.Length > 0 && !id.Any(char.IsControl) ? id : null;
    }

    /// <summary>The path of the request target as the client sent it (origin or absolute form), without the query.</summary>
    private static string RawPath(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            return (http.Request.PathBase + http.Request.Path).ToUriComponent();
        }

        if (!target.StartsWith('/'))
        {
            // Absolute form (http://host/path): the path starts at the first '/' after the authority.
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            var start = scheme < 0 ? -1 : target.IndexOf('/', scheme + 3);
            target = start < 0 ? "/" : target[start..];
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target[..query];
    }

    /// <summary>The path's segments; one trailing '/' is not a segment of its own.</summary>
    private static string[] Segments(string path) =>
        (path.Length > 1 && path.EndsWith('/') ? path[..^1] : path).Split('/');
}
