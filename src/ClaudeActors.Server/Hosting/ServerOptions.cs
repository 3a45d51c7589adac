using System.ComponentModel.DataAnnotations;
using ClaudeActors.Server.Security;

namespace ClaudeActors.Server.Hosting;

/// <summary>Where the HTTP server listens and whom it answers. Bound from <c>ClaudeActors:Server</c>.</summary>
internal sealed class ServerOptions : IValidatableObject
{
    public const string SectionName = "ClaudeActors:Server";

    /// <summary>The HTTP port. Default 8765 (env <c>CLAUDE_API_PORT</c>); 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8765;

    /// <summary>
    /// The address to bind. Default 127.0.0.1: only this machine can call the server. Set 0.0.0.0 (or ::) to accept
    /// calls from the network, behind an authenticating proxy (env <c>CLAUDE_API_HOST</c>).
    /// </summary>
    [Required]
    [RegularExpression(@"^(localhost|\*|\+|[0-9A-Fa-f:.]+)$", ErrorMessage = "BindAddress must be an IP address, localhost, * or +.")]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The <c>Host</c> header values the server answers (any port): host names, <c>*.example.com</c> for subdomains,
    /// <c>[::1]</c> for IPv6, or <c>*</c> for any. Others get 400, which defeats DNS rebinding. Unset means
    /// <see cref="LoopbackHosts"/>; a list given replaces it. One value may hold several, separated by <c>;</c>.
    /// </summary>
    public string[]? AllowedHosts { get; set; }

    /// <summary>
    /// The browser origins whose requests the server takes, as <c>scheme://host[:port]</c> (host may be
    /// <c>*.example.com</c>, port may be <c>*</c>), or <c>*</c> for any. A request with another <c>Origin</c> header gets
    /// 403; one without (every non-browser client) is not affected. Unset means <see cref="LoopbackOrigins"/>; a list
    /// given replaces it. One value may hold several, separated by <c>;</c>.
    /// </summary>
    public string[]? AllowedOrigins { get; set; }

    /// <summary>The default of <see cref="AllowedHosts"/>: names that always point at this machine.</summary>
    public static IReadOnlyList<string> LoopbackHosts { get; } = ["localhost", "*.localhost", "127.0.0.1", "[::1]"];

    /// <summary>The default of <see cref="AllowedOrigins"/>: pages served from this machine, on any port.</summary>
    public static IReadOnlyList<string> LoopbackOrigins { get; } =
        [.. LoopbackHosts.SelectMany(host => new[] { $"http://{host}:*", $"https://{host}:*" })];

    /// <summary>The host patterns in force: <see cref="AllowedHosts"/>, or the loopback names when it is empty.</summary>
    public IReadOnlyList<string> HostsAllowed() => AllowedHosts is { Length: > 0 } hosts ? hosts : LoopbackHosts;

    /// <summary>The origin patterns in force: <see cref="AllowedOrigins"/>, or the loopback origins when it is empty.</summary>
    public IReadOnlyList<string> OriginsAllowed() => AllowedOrigins is { Length: > 0 } origins ? origins : LoopbackOrigins;

    public string Url()
    {
        var host = BindAddress.Contains(':', StringComparison.Ordinal) ? $"[{BindAddress}]" : BindAddress;
        return $"http://{host}:{Port}";
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var host in AllowedHosts ?? [])
        {
            if (!HostPolicy.IsValidPattern(host))
            {
                yield return new ValidationResult(
                    $"'{host}' is not a host name pattern (a name, *.name, an IP address, [IPv6] or *; no scheme, port or path).",
                    [nameof(AllowedHosts)]);
            }
        }

        foreach (var origin in AllowedOrigins ?? [])
        {
            if (origin != "*" && OriginPattern.Parse(origin) is null)
            {
                yield return new ValidationResult(
                    $"'{origin}' is not an origin pattern (scheme://host[:port] with http or https, host may be *.name, port may be *; or *).",
                    [nameof(AllowedOrigins)]);
            }
        }
    }
}
