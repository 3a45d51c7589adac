namespace ClaudeActors.Chat;

/// <summary>A turn failed. <see cref="IsTransient"/> failures are retried by the supervisor while nothing was sent.</summary>
internal sealed class ChatFailure(ChatFailureKind kind, string message, bool isTransient, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ChatFailureKind Kind { get; } = kind;

    public bool IsTransient { get; } = isTransient;

    /// <summary>When the caller may try again, for a <c>Retry-After</c> header.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
