using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace ClaudeActors.Server.Security;

/// <summary>
/// The host names the server answers to, as <see cref="HostString.MatchesAny"/> reads them: a name or IP address,
/// <c>*.example.com</c> for its subdomains, <c>[::1]</c> for IPv6, <c>*</c> for any; the port never matters.
/// </summary>
internal sealed partial class HostPolicy(IReadOnlyList<string> patterns)
{
    private readonly StringSegment[] _patterns = [.. patterns.Select(p => new StringSegment(p))];
    private readonly bool _any = patterns.Contains("*");

    /// <summary>Whether a <c>Host</c> header value (with or without a port) matches; an empty one never does.</summary>
    public bool Allows(string? host) => _any || (!string.IsNullOrEmpty(host) && HostString.MatchesAny(host, _patterns));

    /// <summary>A name, <c>*.name</c>, an IPv4 address, <c>[IPv6]</c> or <c>*</c>: no scheme, port or path.</summary>
    public static bool IsValidPattern(string pattern) => pattern == "*" || HostPattern().IsMatch(pattern);

    [GeneratedRegex(@"^((\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*|\[[0-9A-Fa-f:.]+\])$")]
    private static partial Regex HostPattern();
}
