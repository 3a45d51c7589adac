using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ClaudeActors.Chat;
using ClaudeActors.Supervision;
using ClaudeActors.Telemetry;
using ClaudeActors.UnitTests.Supervision;
using ClaudeActors.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.Telemetry;

/// <summary>The supervisor records a turn's retries, failed attempts, time to first token and duration on the meter.</summary>
public sealed class TurnMetricsTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measured = new();

    public TurnMetricsTests()
    {
        var collection = new ServiceCollection();
        collection.AddMetrics();
        collection.AddSingleton(Options.Create(new WorkerPoolOptions()));
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton<WorkerPool>();
        collection.AddSingleton<ClaudeActorsMetrics>();
        _services = collection.BuildServiceProvider();
        var factory = _services.GetRequiredService<IMeterFactory>();

        // Only this test's meter: other tests in the process create meters of the same name.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [Fact]
    public async Task A_turn_retried_once_records_one_retry_one_upstream_error_one_first_token_and_one_ok_duration()
    {
        var metrics = _services.GetRequiredService<ClaudeActorsMetrics>();
        var supervisor = new TurnSupervisor(
            Options.Create(new RetryOptions { MaxRetries = 3, BaseBackoffSeconds = 0.001, MaxBackoffSeconds = 0.001, UseJitter = false }),
            TimeProvider.System,
            NullLogger<TurnSupervisor>.Instance,
            metrics);
        var attempts = new ScriptedAttempts((number, ct) => number == 0
            ? ScriptedAttempts.Play([new ChatStarted("sonnet")], new ChatFailure(ChatFailureKind.Overloaded, "529", isTransient: true), ct)
            : ScriptedAttempts.Play([new ChatStarted("sonnet"), new ChatTextDelta("a"), new ChatTextDelta("b")], null, ct));

        await foreach (var _ in supervisor.RunAsync(TurnLabels.Conversation("sonnet"), attempts.Run, buffered: false, CancellationToken.None).WithCancellation(CancellationToken.None))
        {
        }

        Assert.Equal([0, 1], attempts.Numbers);
        var retry = Assert.Single(_measured, m => m.Name == "claude_actors.turn.retries");
        Assert.Equal("Overloaded", retry.Tags["kind"]);
        var failed = Assert.Single(_measured, m => m.Name == "claude_actors.upstream.errors");
        Assert.Equal("Overloaded", failed.Tags["kind"]);
        var first = Assert.Single(_measured, m => m.Name == "claude_actors.turn.time_to_first_token");
        Assert.Equal("conversation", first.Tags["kind"]);
        Assert.Equal("sonnet", first.Tags["model"]);
        var duration = Assert.Single(_measured, m => m.Name == "claude_actors.turn.duration");
        Assert.Equal("ok", duration.Tags["outcome"]);
        Assert.True(duration.Value >= first.Value, $"duration {duration.Value} s, first token {first.Value} s");
    }

    [Fact]
    public async Task A_failure_retrying_cannot_fix_ends_the_turn_with_its_kind_as_outcome_and_no_retry()
    {
        var metrics = _services.GetRequiredService<ClaudeActorsMetrics>();
        var supervisor = new TurnSupervisor(Options.Create(new RetryOptions { MaxRetries = 3 }), TimeProvider.System, NullLogger<TurnSupervisor>.Instance, metrics);
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.Play([], new ChatFailure(ChatFailureKind.Authentication, "invalid key", isTransient: false), ct));

        var error = await Assert.ThrowsAsync<ChatFailure>(async () =>
        {
            await foreach (var _ in supervisor.RunAsync(TurnLabels.Stateless("a model name that is far too long to be a label of a metric at all, really"), attempts.Run, buffered: true, CancellationToken.None))
            {
            }
        }).WaitAsync(Guard);

        Assert.Equal(ChatFailureKind.Authentication, error.Kind);
        Assert.DoesNotContain(_measured, m => m.Name == "claude_actors.turn.retries");
        Assert.DoesNotContain(_measured, m => m.Name == "claude_actors.turn.time_to_first_token");
        Assert.Equal("Authentication", Assert.Single(_measured, m => m.Name == "claude_actors.upstream.errors").Tags["kind"]);
        var duration = Assert.Single(_measured, m => m.Name == "claude_actors.turn.duration");
        Assert.Equal("Authentication", duration.Tags["outcome"]);
        Assert.Equal("stateless", duration.Tags["kind"]);
        Assert.Equal("other", duration.Tags["model"]);
    }

    [Fact]
    public void Gauges_read_the_pool_and_the_process_counts_without_any_actor()
    {
        var metrics = _services.GetRequiredService<ClaudeActorsMetrics>();
        var exited = new TaskCompletionSource<int>();
        metrics.ProcessStarted("warm", exited.Task);
        metrics.ProcessStarted("warm", Task.FromResult(0));
        metrics.ProcessStarted("warm", new TaskCompletionSource<int>().Task);
        metrics.ProcessStarted("warm", new TaskCompletionSource<int>().Task);
        metrics.Processes.Standby(ready: 1, starting: 1);

        _listener.RecordObservableInstruments();

        Assert.Equal(3, Gauge("claude_actors.processes", ("state", "warm")) + Gauge("claude_actors.processes", ("state", "standby")) + Gauge("claude_actors.processes", ("state", "starting")));
        Assert.Equal(1, Gauge("claude_actors.processes", ("state", "warm")));
        Assert.Equal(new WorkerPoolOptions().MaxConcurrency, Gauge("claude_actors.workers.max"));
        Assert.Equal(0, Gauge("claude_actors.queue.length"));
        Assert.Equal(4, _measured.Count(m => m.Name == "claude_actors.process.starts"));

        exited.SetResult(0);
        _measured.Clear();
        _listener.RecordObservableInstruments();
        Assert.Equal(0, Gauge("claude_actors.processes", ("state", "warm")));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private double Gauge(string name, params (string Key, string Value)[] tags) =>
        _measured.Where(m => m.Name == name && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Select(m => m.Value).LastOrDefault();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measured.Enqueue((instrument.Name, value, copy));
    }
}
