using ClaudeActors.Conversations;

namespace ClaudeActors.Tenants;

/// <summary>
/// A conversation's entity id keeps tenants apart: <c>tenant</c>, the unit separator (U+001F), then the id the client
/// chose; for the <see cref="DefaultTenant"/> it is the client's id alone, so conversations stored before there were
/// keys keep their persistence ids. Client ids never hold control characters (<see cref="ConversationIds.Validate"/>),
/// so the split is unambiguous: the same client id under two keys is two conversations, and one tenant can neither
/// reach nor learn of another's.
/// </summary>
internal static class ConversationKey
{
    /// <summary>The tenant of requests when no key is configured, of the legacy single key, and of older conversations.</summary>
    public const string DefaultTenant = "default";

    public const char Separator = '\u001F';

    /// <summary>
    /// The entity id of <paramref name="clientId"/> in <paramref name="tenant"/>. Throws for a client id with the
    /// separator, which would name another tenant's conversation (callers refuse such ids first).
    /// </summary>
    public static string For(string tenant, string clientId) =>
        clientId.Contains(Separator, StringComparison.Ordinal)
            ? throw new ArgumentException("A conversation id must not contain the tenant separator.", nameof(clientId))
            : tenant == DefaultTenant ? clientId : tenant + Separator + clientId;

    /// <summary>The tenant and the client's id of an entity id.</summary>
    public static (string Tenant, string ClientId) Split(string entityId)
    {
        var at = entityId.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (DefaultTenant, entityId) : (entityId[..at], entityId[(at + 1)..]);
    }

    public static string TenantOf(string entityId) => Split(entityId).Tenant;

    public static string ClientIdOf(string entityId) => Split(entityId).ClientId;

    /// <summary>The record as its tenant's clients see it: ids without the tenant, the tenant named.</summary>
    public static ConversationRecord ForClient(ConversationRecord record) => record with
    {
        Id = ClientIdOf(record.Id),
        ForkedFrom = record.ForkedFrom is { } source ? ClientIdOf(source) : null,
        Tenant = record.Tenant ?? TenantOf(record.Id),
    };
}
