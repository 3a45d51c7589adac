using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Server.Security;

/// <summary>
/// One API key: its tenant, the SHA-256 of the key (never the key itself), whether it is an admin key, and its limits.
/// Bound from <c>ClaudeActors:Auth:Keys:&lt;n&gt;</c> and from the keys file.
/// </summary>
internal sealed class ApiKeyOptions
{
    /// <summary>What a tenant's name may be (also one an admin key names with <c>X-Tenant</c>).</summary>
    public const string TenantPattern = @"^[A-Za-z0-9._-]{1,64}\z";

    /// <summary>The tenant the key acts as: letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, at most 64. Keys may share one.</summary>
    [Required]
    [RegularExpression(TenantPattern, ErrorMessage = "Tenant must be 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string Tenant { get; set; } = "";

    /// <summary><c>sha256:</c> and the 64 hex digits of the key's SHA-256 (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    [Required]
    [RegularExpression("^sha256:[0-9A-Fa-f]{64}$", ErrorMessage = "Hash must be 'sha256:' and 64 hex digits: printf %s \"$KEY\" | sha256sum.")]
    public string Hash { get; set; } = "";

    /// <summary>
    /// The key's name in the usage figures (<c>GET /v1/usage</c>) and for its daily budget: 1 to 64 letters, digits,
    /// <c>.</c>, <c>_</c> and <c>-</c>. Keys of a tenant that share a name share their figures and budget (a key and the
    /// one replacing it). Unset (or empty): <c>sha256:</c> and the first 12 hex digits of the hash, which only the key
    /// itself and admin keys see in the usage.
    /// </summary>
    [RegularExpression(TenantPattern, ErrorMessage = "Name must be 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string? Name { get; set; }

    /// <summary><see cref="Name"/>, or the start of the hash.</summary>
    public string UsageName => string.IsNullOrEmpty(Name) ? Hash[..Math.Min(Hash.Length, "sha256:".Length + 12)].ToLowerInvariant() : Name;

    /// <summary>An admin key sees and reaches every tenant's conversations and usage. Default false.</summary>
    public bool Admin { get; set; }

    /// <summary>Requests per minute (a sliding window); 0, the default, is no limit.</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; }

    /// <summary>Turns the key may run at once (chat, responses, messages, completions); 0, the default, is no limit.</summary>
    [Range(0, 10_000)]
    public int MaxConcurrentTurns { get; set; }

    /// <summary>
    /// USD the key (its <see cref="UsageName"/>) may spend per UTC day, from the CLI's reported cost (<c>GET /v1/usage</c>);
    /// past it, its turns get 429 until midnight UTC. 0, the default, is no limit.
    /// </summary>
    [Range(0, 1_000_000)]
    public double DailyBudgetUsd { get; set; }

    /// <summary>A disabled key is refused like an unknown one. Default false.</summary>
    public bool Disabled { get; set; }
}
