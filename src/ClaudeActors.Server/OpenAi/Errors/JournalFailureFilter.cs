using ClaudeActors.Chat;

namespace ClaudeActors.Server.OpenAi.Errors;

/// <summary>
/// A journal that fails a request outside a chat turn (the Session API: list, read, delete, fork) answers 503
/// <c>journal_unavailable</c> in OpenAI's error shape, naming the cause without paths; nothing was changed.
/// </summary>
internal sealed class JournalFailureFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (ChatFailure failure) when (failure.Kind == ChatFailureKind.JournalUnavailable)
        {
            context.HttpContext.Response.Headers.RetryAfter = "5";
            return OpenAiErrors.Result(failure, context.HttpContext.Response);
        }
    }
}
