using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Sessions;

/// <summary>
/// Runs the sweeper that passivates idle conversations, and on shutdown passivates every conversation so its CLI
/// process ends cleanly and its last transcript entries reach the journal.
/// </summary>
internal sealed partial class SessionHost(SessionRegistry registry, IOptions<SessionOptions> options, TimeProvider time, ILogger<SessionHost> logger)
    : IHostedService, IAsyncDisposable
{
    private ITimer? _timer;
    private int _sweeping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromSeconds(Math.Min(options.Value.SweepIntervalSeconds, options.Value.TtlSeconds));
        _timer = time.CreateTimer(_ => _ = SweepAsync(), null, every, every);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
            _timer = null;
        }

        try
        {
            await registry.StopAllAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown time-out passed. Throwing here would turn a late stop into a crash of the process
            // (exit 134); the processes still stopping end with it, and the journal has every finished turn.
            Log.StopTimedOut(logger, registry.LiveConversations);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SweepAsync()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            await registry.SweepAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(330, LogLevel.Warning, "The shutdown time-out passed while {Conversations} conversations were still being passivated")]
        public static partial void StopTimedOut(ILogger logger, int conversations);
    }
}
