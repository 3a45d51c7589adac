namespace ClaudeActors.Server.Security;

/// <summary>
/// Who made the request (set by <see cref="ApiKeyAuthentication"/>): the tenant whose conversations it reaches (an admin
/// may name another with <c>X-Tenant</c>), whether it is an admin, and the key (its limits; null with no keys).
/// </summary>
internal sealed record Caller(string Tenant, bool IsAdmin, ApiKeyOptions? Key)
{
    /// <summary>The caller of a server with no keys: the default tenant, an admin.</summary>
    public static readonly Caller Open = new(ClaudeActors.Tenants.ConversationKey.DefaultTenant, IsAdmin: true, Key: null);

    /// <summary>The tenant the key belongs to (for limits and usage), whatever tenant an admin acts in.</summary>
    public string KeyTenant => Key?.Tenant ?? Tenant;

    /// <summary>Whom the caller's turns are counted for: the key's tenant and name (no key: the tenant, no name).</summary>
    public ClaudeActors.Usage.UsagePayer Payer => new(KeyTenant, Key?.UsageName);

    /// <summary>An admin that named no tenant: lists cover every tenant.</summary>
    public bool SeesAll { get; init; }
}
