using System.Security.Cryptography;
using System.Text;

namespace ClaudeActors.Journal;

/// <summary>
/// Conversation ids: any string of up to <see cref="MaxLength"/> printable characters is accepted; the CLI needs a
/// UUID, so a UUID id is used as it is and any other id maps to a stable name-based UUID (version 5 style, SHA-1 over
/// a fixed namespace and the id), the same on every node and after every restart.
/// </summary>
internal static class ConversationIds
{
    public const int MaxLength = 256;

    private static readonly Guid Namespace = new("5b0b1a34-36c1-4c7e-9d0e-6f1b2e6a0c11");

    /// <summary>Null when the id is acceptable, else why not.</summary>
    public static string? Validate(string id)
    {
        if (id.Length == 0)
        {
            return "A session id must not be empty.";
        }

        if (id.Length > MaxLength)
        {
            return $"A session id may have at most {MaxLength} characters.";
        }

        return id.Any(char.IsControl) ? "A session id must not contain control characters." : null;
    }

    /// <summary>The CLI session UUID for a client id.</summary>
    public static string CliSessionIdFor(string id)
    {
        if (Guid.TryParseExact(id, "D", out var uuid))
        {
            return uuid.ToString("D");
        }

        Span<byte> name = stackalloc byte[16];
        Namespace.TryWriteBytes(name, bigEndian: true, out _);
        var input = new byte[16 + Encoding.UTF8.GetByteCount(id)];
        name.CopyTo(input);
        Encoding.UTF8.GetBytes(id, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what name-based UUIDs (RFC 9562 version 5) are defined with; nothing secret here.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
