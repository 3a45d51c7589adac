using Microsoft.Extensions.Logging;

namespace ClaudeActors.Journal;

/// <summary>
/// Whether the journal works, as its calls found out: after a failure it is failing, with the cause, until a write
/// (a turn's, or the readiness probe's heartbeat) succeeds again. Readiness reports it.
/// </summary>
internal sealed partial class JournalHealth(TimeProvider time, ILogger<JournalHealth> logger)
{
    private readonly Lock _lock = new();
    private JournalFault? _fault;

    /// <summary>Null while the journal works, else the latest failure and since when it has been failing.</summary>
    public JournalFault? Fault
    {
        get
        {
            lock (_lock)
            {
                return _fault;
            }
        }
    }

    public void OnFailed(string reason)
    {
        lock (_lock)
        {
            _fault = new JournalFault(reason, _fault?.Since ?? time.GetUtcNow());
        }
    }

    public void OnWritten()
    {
        JournalFault? recovered;
        lock (_lock)
        {
            recovered = _fault;
            _fault = null;
        }

        if (recovered is not null)
        {
            Log.Recovered(logger, recovered.Since);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(411, LogLevel.Information, "The conversation journal works again (it had been failing since {Since:O})")]
        public static partial void Recovered(ILogger logger, DateTimeOffset since);
    }
}

/// <summary>Why the journal is failing (<see cref="JournalFaults.Describe"/>) and since when.</summary>
internal sealed record JournalFault(string Reason, DateTimeOffset Since);
