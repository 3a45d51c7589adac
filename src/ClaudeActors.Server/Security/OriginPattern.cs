using System.Globalization;

namespace ClaudeActors.Server.Security;

/// <summary>
/// One allowed browser origin: <c>scheme://host[:port]</c> with <c>http</c> or <c>https</c>, a host as
/// <see cref="HostPolicy"/> reads it (<c>*.example.com</c> allowed) and a port, <c>*</c> for any (none: the scheme's
/// default port, as in the origin itself).
/// </summary>
internal sealed record OriginPattern(string Scheme, HostPolicy Host, int? Port)
{
    /// <summary>The pattern, or null when <paramref name="text"/> is not one.</summary>
    public static OriginPattern? Parse(string text)
    {
        if (SplitOrigin(text, allowWildcards: true) is not var (scheme, host, port) || !HostPolicy.IsValidPattern(host))
        {
            return null;
        }

        return port switch
        {
            "*" => new OriginPattern(scheme, new HostPolicy([host]), null),
            null => new OriginPattern(scheme, new HostPolicy([host]), DefaultPort(scheme)),
            _ => ParsePort(port) is { } number ? new OriginPattern(scheme, new HostPolicy([host]), number) : null,
        };
    }

    /// <summary>Whether the value of an <c>Origin</c> header is this origin. <c>null</c> (an opaque origin) never is.</summary>
    public bool Matches(string origin)
    {
        if (SplitOrigin(origin, allowWildcards: false) is not var (scheme, host, port) || scheme != Scheme)
        {
            return false;
        }

        var number = port is null ? DefaultPort(scheme) : ParsePort(port);
        return number is not null && (Port is null || Port == number) && Host.Allows(host);
    }

    /// <summary>Splits <c>scheme://host[:port]</c>; an IPv6 host keeps its brackets. Null when it is not that shape.</summary>
    private static (string Scheme, string Host, string? Port)? SplitOrigin(string text, bool allowWildcards)
    {
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return null;
        }

        var scheme = text[..separator].ToLowerInvariant();
        var authority = text[(separator + 3)..];
        if (scheme is not ("http" or "https") || authority.Length == 0 || authority.IndexOfAny(['/', '?', '#', '@']) >= 0)
        {
            return null;
        }

        int hostEnd;
        if (authority.StartsWith('['))
        {
            hostEnd = authority.IndexOf(']', StringComparison.Ordinal) + 1;
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            hostEnd = colon >= 0 ? colon : authority.Length;
        }

        if (hostEnd <= 0)
        {
            return null;
        }

        var host = authority[..hostEnd];
        var rest = authority[hostEnd..];
        if (!allowWildcards && host.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }

        return rest.Length == 0 ? (scheme, host, null) : rest[0] == ':' && rest.Length > 1 ? (scheme, host, rest[1..]) : null;
    }

    private static int? ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;

    private static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;
}
