using ClaudeActors.Chat;
using ClaudeActors.Server.Security;
using ClaudeActors.Usage;

namespace ClaudeActors.Server.Usage;

/// <summary>
/// Adds each completed turn's tokens and cost to the ledger of the key's tenant (an admin acting in another tenant is
/// billed to its own). The write is not awaited by the response; a failed one is logged.
/// </summary>
internal sealed partial class UsageRecorder(UsageClient usage, ILogger<UsageRecorder> logger)
{
    /// <summary>What to do with the request's completed turns.</summary>
    public Action<ChatCompleted> For(HttpContext http)
    {
        var tenant = http.Caller().KeyTenant;
        return completed => _ = RecordAsync(tenant, completed);
    }

    private async Task RecordAsync(string tenant, ChatCompleted completed)
    {
        var amount = new UsageAmount(
            1,
            completed.Usage.InputTokens,
            completed.Usage.CacheReadInputTokens,
            completed.Usage.CacheCreationInputTokens,
            completed.Usage.OutputTokens,
            completed.CostUsd ?? 0);
        try
        {
            await usage.RecordAsync(tenant, amount, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.NotRecorded(logger, tenant, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Warning, "The usage of a turn of tenant {Tenant} could not be recorded")]
        public static partial void NotRecorded(ILogger logger, string tenant, Exception exception);
    }
}
