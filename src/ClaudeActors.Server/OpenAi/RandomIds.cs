using System.Security.Cryptography;

namespace ClaudeActors.Server.OpenAi;

/// <summary>The random tail of answer and request ids (<c>chatcmpl-</c>, <c>cmpl-</c>, <c>msg_</c>, <c>req_</c>).</summary>
internal static class RandomIds
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[18];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', 'A').Replace('/', 'B');
    }
}
