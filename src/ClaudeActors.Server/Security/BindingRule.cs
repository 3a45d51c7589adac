using System.Net;

namespace ClaudeActors.Server.Security;

/// <summary>
/// With no API key configured anyone who reaches the port runs turns on the subscription: the server then binds to
/// loopback only, and refuses to start on another address unless <see cref="AuthOptions.AllowUnauthenticated"/> says so.
/// </summary>
internal static class BindingRule
{
    /// <summary>Why the server must not start (null: it may), given where it listens.</summary>
    public static string? Refusal(IEnumerable<string> urls, bool anyKey, bool allowUnauthenticated)
    {
        if (anyKey || allowUnauthenticated)
        {
            return null;
        }

        var exposed = urls.Where(url => !IsLoopback(url)).ToList();
        return exposed.Count == 0
            ? null
            : $"No API key is configured, so the server would let anyone who reaches {string.Join(", ", exposed)} use the subscription. " +
              $"Configure keys ({AuthOptions.SectionName}:Keys, :KeysFile or :ApiKey), bind to 127.0.0.1, " +
              $"or set {AuthOptions.SectionName}:AllowUnauthenticated=true if a proxy in front authenticates every request.";
    }

    /// <summary>Whether <paramref name="url"/> (<c>http://host:port</c>) listens on loopback only.</summary>
    public static bool IsLoopback(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        string host;
        if (rest.StartsWith('['))
        {
            host = rest[1..Math.Max(1, rest.IndexOf(']', StringComparison.Ordinal))];
        }
        else
        {
            var end = rest.IndexOfAny([':', '/']);
            host = end < 0 ? rest : rest[..end];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
