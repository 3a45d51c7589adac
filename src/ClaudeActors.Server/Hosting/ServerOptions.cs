using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Server.Hosting;

/// <summary>Where the HTTP server listens. Bound from <c>ClaudeActors:Server</c>.</summary>
internal sealed class ServerOptions
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

    public string Url()
    {
        var host = BindAddress.Contains(':', StringComparison.Ordinal) ? $"[{BindAddress}]" : BindAddress;
        return $"http://{host}:{Port}";
    }
}
