using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using ClaudeActors.Chat;
using ClaudeActors.Workers;

namespace ClaudeActors.Telemetry;

/// <summary>
/// Every ClaudeActors instrument, on one <see cref="Meter"/> (<see cref="ClaudeActorsTelemetry.MeterName"/>). Counters
/// and histograms are recorded where the thing happens (they are lock-free, so an actor may record inside its receive);
/// observable gauges read state their owners publish (<see cref="WorkerPool"/>'s counts, <see cref="ProcessCounts"/>, the
/// cluster's read view), never a mailbox: they run on the scrape thread. Tags have bounded values only: no ids.
/// </summary>
internal sealed class ClaudeActorsMetrics : IDisposable
{
    /// <summary>Distinct model names a metric is labelled with; others are <c>other</c>.</summary>
    internal const int MaxModelTags = 32;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _modelTags = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _turnDuration;
    private readonly Counter<long> _processStarts;
    private readonly Counter<long> _processRecycles;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _upstreamErrors;
    private readonly UpDownCounter<long> _conversationsActive;
    private readonly Counter<long> _conversationsPassivated;
    private readonly Histogram<double> _journalWrite;
    private ActorSystem? _system;

    public ClaudeActorsMetrics(IMeterFactory meters, WorkerPool pool)
    {
        _meter = meters.Create(ClaudeActorsTelemetry.MeterName);
        _requests = _meter.CreateCounter<long>("claude_actors.requests", "{request}", "HTTP requests answered, by endpoint (route pattern) and status code");
        _timeToFirstToken = _meter.CreateHistogram<double>("claude_actors.turn.time_to_first_token", "s", "Time from a turn's start to its first text", advice: TurnAdvice);
        _turnDuration = _meter.CreateHistogram<double>("claude_actors.turn.duration", "s", "A turn's duration, retries included, by outcome", advice: TurnAdvice);
        _processStarts = _meter.CreateCounter<long>("claude_actors.process.starts", "{process}", "CLI processes started");
        _processRecycles = _meter.CreateCounter<long>("claude_actors.process.recycles", "{process}", "CLI processes reset with /clear for another request");
        _retries = _meter.CreateCounter<long>("claude_actors.turn.retries", "{retry}", "Retries of turns after a transient failure, by failure kind");
        _upstreamErrors = _meter.CreateCounter<long>("claude_actors.upstream.errors", "{error}", "Failed turn attempts, by failure kind");
        _conversationsActive = _meter.CreateUpDownCounter<long>("claude_actors.conversations.active", "{conversation}", "Conversation entities running on this node");
        _conversationsPassivated = _meter.CreateCounter<long>("claude_actors.conversations.passivated", "{conversation}", "Conversation entities passivated (idle, handed over or released)");
        _journalWrite = _meter.CreateHistogram<double>("claude_actors.journal.write.duration", "s", "Time the journal took to store an event", advice: JournalAdvice);
        _meter.CreateObservableGauge("claude_actors.queue.length", () => pool.Queued, "{request}", "Requests waiting for a CLI worker");
        _meter.CreateObservableGauge("claude_actors.workers.busy", () => pool.Active, "{worker}", "CLI turns running");
        _meter.CreateObservableGauge("claude_actors.workers.max", () => pool.MaxConcurrency, "{worker}", "CLI turns that may run at once");
        _meter.CreateObservableGauge("claude_actors.processes", Processes.Measure, "{process}", "CLI processes by state: warm (held by a conversation or worker), standby (ready), starting");
        _meter.CreateObservableGauge("claude_actors.cluster.members", ClusterMembers, "{node}", "Akka cluster members by status, as this node sees them");
    }

    private static InstrumentAdvice<double> TurnAdvice { get; } = new() { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300] };

    private static InstrumentAdvice<double> JournalAdvice { get; } = new() { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };

    /// <summary>The node's CLI processes, for the <c>claude_actors.processes</c> gauge.</summary>
    public ProcessCounts Processes { get; } = new();

    /// <summary>Lets the cluster gauge read the actor system's membership (set once the system has started).</summary>
    public void AttachCluster(ActorSystem system) => Volatile.Write(ref _system, system);

    public void RequestAnswered(string endpoint, int status) =>
        _requests.Add(1, new TagList { { "endpoint", endpoint }, { "status", status } });

    public void FirstToken(string kind, string? model, TimeSpan elapsed) =>
        _timeToFirstToken.Record(elapsed.TotalSeconds, new TagList { { "kind", kind }, { "model", ModelTag(model) } });

    public void TurnEnded(string kind, string? model, string outcome, TimeSpan elapsed) =>
        _turnDuration.Record(elapsed.TotalSeconds, new TagList { { "kind", kind }, { "model", ModelTag(model) }, { "outcome", outcome } });

    /// <summary>A CLI process started (<paramref name="purpose"/>: conversation, warm or one-shot); it counts as warm until it exits.</summary>
    public void ProcessStarted(string purpose, Task exited)
    {
        _processStarts.Add(1, new KeyValuePair<string, object?>("purpose", purpose));
        Processes.Started(exited);
    }

    public void ProcessRecycled() => _processRecycles.Add(1);

    public void Retried(ChatFailureKind kind) => _retries.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));

    public void AttemptFailed(ChatFailureKind kind) => _upstreamErrors.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));

    public void ConversationStarted() => _conversationsActive.Add(1);

    public void ConversationStopped() => _conversationsActive.Add(-1);

    public void ConversationPassivated() => _conversationsPassivated.Add(1);

    public void JournalWrite(string op, TimeSpan elapsed) =>
        _journalWrite.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("op", op));

    public void Dispose() => _meter.Dispose();

    /// <summary>
    /// Model names come from clients: long or odd ones, and any beyond the first <see cref="MaxModelTags"/> seen, are
    /// folded into <c>other</c>, so a client cannot make the series grow without bound.
    /// </summary>
    private string ModelTag(string? model)
    {
        if (model is null)
        {
            return "default";
        }

        if (model.Length > 64 || !model.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':' or '[' or ']'))
        {
            return "other";
        }

        return _modelTags.ContainsKey(model) || (_modelTags.Count < MaxModelTags && _modelTags.TryAdd(model, 0)) ? model : "other";
    }

    private IEnumerable<Measurement<int>> ClusterMembers()
    {
        var system = Volatile.Read(ref _system);
        if (system is null || system.WhenTerminated.IsCompleted)
        {
            return [];
        }

        // The cluster's read view: a snapshot the cluster publishes to, safe to read off its actors.
        var members = Akka.Cluster.Cluster.Get(system).State.Members;
        return members
            .GroupBy(m => m.Status)
            .Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("status", g.Key.ToString().ToLowerInvariant())))
            .ToList();
    }
}
