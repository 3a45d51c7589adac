using ClaudeActors.Chat;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// The <c>Idempotency-Key</c> request header (1 to 255 visible ASCII characters) and the <c>Idempotent-Replayed</c>
/// response header that marks an answer replayed from the conversation's journal.
/// </summary>
internal static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>The key (null when absent), or the reason it is not valid.</summary>
    public static (string? Key, string? Problem) Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }

        if (values.Count != 1 || values[0] is not { } key)
        {
            return (null, $"Send one {Header} header.");
        }

        return key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~')
            ? (null, $"The {Header} header must be 1 to {MaxLength} visible ASCII characters.")
            : (key, null);
    }

    /// <summary>The turn carrying the request's key (the turn itself without one), or the reason the key is not valid.</summary>
    public static (ChatTurnRequest Turn, string? Problem) Apply(HttpRequest request, ChatTurnRequest turn)
    {
        var (key, problem) = Read(request);
        return (key is null ? turn : turn with { IdempotencyKey = key }, problem);
    }
}
