using Akka.Actor;
using ClaudeActors.Chat;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Usage;

/// <summary>
/// Records turns' usage in their tenant's ledger (by day, and by day and key) and reads it back. The ledgers' region is
/// attached once the actor system has started it (<see cref="UsageHostingExtensions.WithUsageLedgers"/>): the
/// conversation entities, which the actor system's set-up makes, record through this client too. A record the ledger
/// does not answer (its node died, and the cluster has not yet moved it) is sent again, with back-off, for
/// <see cref="RetryFor"/>; its id makes the ledger count it once.
/// </summary>
internal sealed partial class UsageClient(TimeProvider time, ILogger<UsageClient> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IActorRef _region = ActorRefs.Nobody;

    /// <summary>How long one attempt to record waits for the ledger's answer.</summary>
    internal TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before the second attempt, doubled after each (at most 30 s).</summary>
    internal TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a record is tried before it is given up (and logged): longer than a fail-over takes.</summary>
    internal TimeSpan RetryFor { get; init; } = TimeSpan.FromMinutes(5);

    internal void Attach(IActorRef region) => Volatile.Write(ref _region, region);

    private IActorRef Region => Volatile.Read(ref _region) is { } region && !region.IsNobody()
        ? region
        : throw new InvalidOperationException("The usage ledgers are not started yet.");

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

    /// <summary>Records <paramref name="amount"/> now, trying again while the ledger does not answer; never throws.</summary>
    private async Task RecordQuietlyAsync(UsagePayer payer, UsageAmount amount)
    {
        var record = new RecordUsage(payer.Tenant, Guid.NewGuid(), amount, time.GetUtcNow(), payer.Key);
        var giveUpAt = record.At + RetryFor;
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await Region.Ask<UsageRecordedAck>(record, AttemptTimeout, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                if (time.GetUtcNow() + delay > giveUpAt)
                {
                    Log.NotRecorded(logger, payer.Tenant, RetryFor.TotalMinutes, ex);
                    return;
                }

                Log.Retrying(logger, payer.Tenant, delay.TotalSeconds, ex.Message);
            }

            await Task.Delay(delay, time).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Warning, "The usage of a turn of tenant {Tenant} could not be recorded in {Minutes} minutes of trying; it is not counted")]
        public static partial void NotRecorded(ILogger logger, string tenant, double minutes, Exception exception);

        [LoggerMessage(1111, LogLevel.Information, "The usage ledger of tenant {Tenant} did not take a turn's usage ({Reason}); trying again in {Seconds} s")]
        public static partial void Retrying(ILogger logger, string tenant, double seconds, string reason);
    }
}
