using Akka.Actor;
using ClaudeActors.Chat;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Usage;

/// <summary>
/// Records turns' usage in their tenant's ledger (by day, and by day and key) and reads it back. The ledgers' region is attached once the actor
/// system has started it (<see cref="UsageHostingExtensions.WithUsageLedgers"/>): the conversation entities, which the
/// actor system's set-up makes, record through this client too.
/// </summary>
internal sealed partial class UsageClient(TimeProvider time, ILogger<UsageClient> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IActorRef _region = ActorRefs.Nobody;

    internal void Attach(IActorRef region) => Volatile.Write(ref _region, region);

    private IActorRef Region => Volatile.Read(ref _region) is { } region && !region.IsNobody()
        ? region
        : throw new InvalidOperationException("The usage ledgers are not started yet.");

    /// <summary>Adds one turn's usage to the payer's tenant's day and key, now; done once it is persisted.</summary>
    public Task RecordAsync(UsagePayer payer, UsageAmount amount, CancellationToken cancellationToken) =>
        Region.Ask<UsageRecordedAck>(new RecordUsage(payer.Tenant, amount, time.GetUtcNow(), payer.Key), Timeout, cancellationToken);

    /// <summary>
    /// Adds a turn the CLI completed to the payer's ledger, where the turn ran (the conversation entity, the stateless
    /// pool), whether or not its client still reads: the turn is not held up by the write, and a failed write is logged.
    /// </summary>
    public void Record(UsagePayer payer, ChatCompleted completed) => _ = RecordQuietlyAsync(payer, UsageAmount.Of(completed));

    /// <summary>
    /// Adds what a turn that failed after its upstream calls spent (a spending cap reached, an error result): the
    /// tokens and cost of the CLI's last result, <paramref name="result"/>, not a request. Nothing without a payer, a
    /// result, or anything spent.
    /// </summary>
    public void RecordFailed(UsagePayer? payer, Cli.Protocol.CliResult? result, Cli.Process.ClaudeProcess process)
    {
        if (payer is null || result is null)
        {
            return;
        }

        var spent = UsageAmount.Of(result.Usage, 0, process.TurnCostUsd(result));
        if (spent != UsageAmount.Zero)
        {
            _ = RecordQuietlyAsync(payer, spent);
        }
    }

    /// <summary>The tenant's usage (and its keys') by UTC day, <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public Task<UsageReport> GetAsync(string tenant, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Region.Ask<UsageReport>(new GetUsage(tenant, from, to), Timeout, cancellationToken);

    /// <summary>Today (UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private async Task RecordQuietlyAsync(UsagePayer payer, UsageAmount amount)
    {
        try
        {
            await RecordAsync(payer, amount, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.NotRecorded(logger, payer.Tenant, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Warning, "The usage of a turn of tenant {Tenant} could not be recorded")]
        public static partial void NotRecorded(ILogger logger, string tenant, Exception exception);
    }
}
