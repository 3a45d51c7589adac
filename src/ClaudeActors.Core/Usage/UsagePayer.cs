namespace ClaudeActors.Usage;

/// <summary>
/// Who pays for a turn: the tenant whose usage ledger it goes to, and the API key within it (its name, for the
/// per-key figures and the key's daily budget; null on a server without keys).
/// </summary>
internal sealed record UsagePayer(string Tenant, string? Key);
