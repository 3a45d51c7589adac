using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ClaudeActors.Conversations;

namespace ClaudeActors.Server.OpenAi.Responses;

/// <summary>
/// Response ids: <c>resp_</c>, a nonce of <see cref="NonceLength"/> hex digits (the turn keeps it), then, for a stored
/// response, its conversation's id in base64url. The id alone says which conversation entity holds the response, so
/// any node finds it through the shard region; nothing is kept in one node's memory.
/// </summary>
internal static class ResponseIds
{
    public const string Prefix = "resp_";

    public const int NonceLength = 24;

    /// <summary>A fresh nonce, or, for a request with an <c>Idempotency-Key</c>, one derived from the key (a resend gets the same id).</summary>
    public static string NewNonce(string? idempotencyKey)
    {
        if (idempotencyKey is null)
        {
            return Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NonceLength / 2));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("response:" + idempotencyKey)))[..NonceLength];
    }

    /// <summary>The id of a response; without a conversation (not stored) it names none and cannot be found.</summary>
    public static string Of(string nonce, string? conversationId) =>
        Prefix + nonce + (conversationId is null ? "" : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(conversationId)));

    /// <summary>The nonce and the conversation of a stored response's id; false for anything else.</summary>
    public static bool TryParse(string? id, out string nonce, out string conversationId)
    {
        nonce = conversationId = "";
        if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal) || id.Length <= Prefix.Length + NonceLength)
        {
            return false;
        }

        nonce = id.Substring(Prefix.Length, NonceLength);
        var encoded = id[(Prefix.Length + NonceLength)..];
        if (!nonce.All(char.IsAsciiHexDigitLower) || !Base64Url.IsValid(encoded))
        {
            return false;
        }

        try
        {
            conversationId = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(encoded));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }

        return ConversationIds.Validate(conversationId) is null;
    }
}
