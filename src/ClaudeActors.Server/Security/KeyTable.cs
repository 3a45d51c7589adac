using System.Security.Cryptography;
using System.Text;

namespace ClaudeActors.Server.Security;

/// <summary>
/// The keys in force, as SHA-256 hashes. A presented key is hashed and compared with every entry in constant time
/// (<see cref="CryptographicOperations.FixedTimeEquals"/>, no early exit), so the time taken says nothing about which
/// bytes matched. Immutable: a reload builds a new table.
/// </summary>
internal sealed class KeyTable
{
    private readonly (byte[] Hash, ApiKeyOptions Key)[] _entries;

    public KeyTable(IEnumerable<ApiKeyOptions> keys, int generation)
    {
        _entries = [.. keys.Where(k => !k.Disabled).Select(k => (Convert.FromHexString(k.Hash["sha256:".Length..]), k))];
        Count = keys.Count();
        Tenants = [.. keys.Select(k => k.Tenant).Distinct(StringComparer.Ordinal)];
        Generation = generation;
    }

    public static KeyTable Empty { get; } = new([], 0);

    /// <summary>Keys configured, disabled ones included: with none, the server is open (on loopback only).</summary>
    public int Count { get; }

    /// <summary>The tenants of the keys configured.</summary>
    public IReadOnlyList<string> Tenants { get; }

    /// <summary>Goes up with each reload, so that limits keyed by it start afresh with the new limits.</summary>
    public int Generation { get; }

    /// <summary><c>sha256:</c> and the hex SHA-256 of <paramref name="key"/>, the form the configuration holds.</summary>
    public static string HashOf(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key's entry, or null when no enabled key matches.</summary>
    public ApiKeyOptions? Find(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyOptions? found = null;
        foreach (var (candidate, key) in _entries)
        {
            // Every entry is compared, whichever matches.
            if (CryptographicOperations.FixedTimeEquals(hash, candidate))
            {
                found ??= key;
            }
        }

        return found;
    }
}
