using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ClaudeActors.Server.Sessions;

/// <summary>
/// How a conversation id travels where HTTP allows only ASCII (the <c>X-Session-Id</c> header, a path segment): as
/// UTF-8, percent-encoded as in RFC 3986. <see cref="Encode"/> keeps visible ASCII other than <c>%</c>, so a plain
/// ASCII id stays as it is, and writes every other character (space, <c>%</c>, anything outside ASCII) as <c>%XX</c>
/// per UTF-8 byte. <see cref="TryDecode"/> decodes every <c>%XX</c> exactly once, so a literal <c>%</c> must come as
/// <c>%25</c>; a <c>%</c> without two hex digits, or bytes that are not UTF-8, make the text invalid.
/// </summary>
internal static class SessionIdEncoding
{
    private static readonly SearchValues<char> Kept = SearchValues.Create(
        "!\"#$&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The id as ASCII: itself when it is visible ASCII without <c>%</c>.</summary>
    public static string Encode(string id)
    {
        if (!id.AsSpan().ContainsAnyExcept(Kept))
        {
            return id;
        }

        var text = new StringBuilder(id.Length * 3);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in id.EnumerateRunes())
        {
            if (rune.IsAscii && Kept.Contains((char)rune.Value))
            {
                text.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Decodes every <c>%XX</c> once; false when <paramref name="text"/> is not percent-encoded UTF-8.</summary>
    public static bool TryDecode(string text, [NotNullWhen(true)] out string? id)
    {
        id = null;
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            id = text;
            return true;
        }

        var bytes = new ArrayBufferWriter<byte>(text.Length);
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var percent = rest.IndexOf('%');
            var literal = percent < 0 ? rest : rest[..percent];
            var written = Encoding.UTF8.GetBytes(literal, bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(literal.Length)));
            bytes.Advance(written);
            if (percent < 0)
            {
                break;
            }

            if (percent + 3 > rest.Length
                || !char.IsAsciiHexDigit(rest[percent + 1])
                || !char.IsAsciiHexDigit(rest[percent + 2]))
            {
                return false;
            }

            bytes.GetSpan(1)[0] = byte.Parse(rest.Slice(percent + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            bytes.Advance(1);
            rest = rest[(percent + 3)..];
        }

        try
        {
            id = StrictUtf8.GetString(bytes.WrittenSpan);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
