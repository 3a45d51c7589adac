using Akka.Actor;
using Akka.Hosting;

namespace ClaudeActors.Usage;

/// <summary>Records turns' usage in their tenant's ledger and reads it back.</summary>
internal sealed class UsageClient(IRequiredActor<UsageRegion> region, TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Adds one turn's usage to the tenant's day, now; done once it is persisted.</summary>
    public Task RecordAsync(string tenant, UsageAmount amount, CancellationToken cancellationToken) =>
        region.ActorRef.Ask<UsageRecordedAck>(new RecordUsage(tenant, amount, time.GetUtcNow()), Timeout, cancellationToken);

    /// <summary>The tenant's usage by UTC day, <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public Task<UsageReport> GetAsync(string tenant, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        region.ActorRef.Ask<UsageReport>(new GetUsage(tenant, from, to), Timeout, cancellationToken);

    /// <summary>Today (UTC).</summary>
    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
