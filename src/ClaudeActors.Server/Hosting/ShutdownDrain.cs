using ClaudeActors.Clustering;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Server.Hosting;

/// <summary>
/// When running turns are cut on SIGTERM. A node alone cuts them at once (<see cref="TurnsCut"/> fires with
/// <c>ApplicationStopping</c>); a node with a drain time (<see cref="ClusterNodeOptions.Drain"/>, 60 s in a cluster) stops
/// taking requests and lets its running ones finish for that long; a turn still running then ends with
/// <c>server_shutting_down</c>. Only then does Akka's coordinated shutdown hand the node's conversations over (their
/// running turns, read by other nodes, finish first) and leave the cluster.
/// </summary>
internal sealed class ShutdownDrain : IDisposable
{
    private readonly CancellationTokenSource _cut = new();
    private readonly CancellationTokenRegistration _registration;
    private readonly ITimer? _timer;

    public ShutdownDrain(IHostApplicationLifetime lifetime, IOptions<ClusterNodeOptions> options, TimeProvider time)
    {
        Drain = options.Value.Drain;
        if (Drain <= TimeSpan.Zero)
        {
            _registration = lifetime.ApplicationStopping.Register(_cut.Cancel);
            return;
        }

        _timer = time.CreateTimer(_ => Cut(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _registration = lifetime.ApplicationStopping.Register(() => _timer.Change(Drain, Timeout.InfiniteTimeSpan));
    }

    /// <summary>How long running turns may go on after SIGTERM.</summary>
    public TimeSpan Drain { get; }

    /// <summary>Cancelled when running turns are to end with <c>server_shutting_down</c>.</summary>
    public CancellationToken TurnsCut => _cut.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _timer?.Dispose();
        _cut.Dispose();
    }

    private void Cut()
    {
        try
        {
            _cut.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The host is already gone.
        }
    }
}
