using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Diagnostics;
using ClaudeActors.Chat;
using ClaudeActors.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ClaudeActors.Supervision;

/// <summary>
/// The one layer that retries. It runs a turn's attempts under a Polly retry pipeline and forwards their events;
/// a transient failure is retried, with exponential back-off and jitter, only while no text has been forwarded:
/// once the client has seen part of an answer, a new attempt could not continue it, so the failure goes out. Retrying
/// also ends once <see cref="RetryOptions.MaxRetrySeconds"/> have passed since the turn's first attempt began.
/// </summary>
internal sealed partial class TurnSupervisor
{
    private static readonly ResiliencePropertyKey<AttemptState> StateKey = new("claude-actors.attempt");

    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryBudget;
    private readonly ILogger<TurnSupervisor> _logger;
    private readonly ClaudeActorsMetrics? _metrics;

    public TurnSupervisor(IOptions<RetryOptions> options, TimeProvider time, ILogger<TurnSupervisor> logger, ClaudeActorsMetrics? metrics = null)
    {
        _logger = logger;
        _time = time;
        _metrics = metrics;
        _retryBudget = TimeSpan.FromSeconds(options.Value.MaxRetrySeconds);
        _pipeline = BuildPipeline(options.Value, time, logger, metrics);
    }

    /// <summary>A stateless turn of unknown model: see <see cref="RunAsync(TurnLabels, Func{int, CancellationToken, IAsyncEnumerable{ChatEvent}}, bool, CancellationToken)"/>.</summary>
    public IAsyncEnumerable<ChatEvent> RunAsync(Func<int, CancellationToken, IAsyncEnumerable<ChatEvent>> attempt, bool buffered, CancellationToken cancellationToken) =>
        RunAsync(TurnLabels.Stateless(null), attempt, buffered, cancellationToken);

    /// <summary>
    /// Runs <paramref name="attempt"/> (given its 0-based number) until one succeeds or retrying must stop.
    /// <paramref name="buffered"/> says the caller shows nothing before the turn ends (a non-streamed answer), so a
    /// failure after some text may still be retried; each attempt starts with a <see cref="ChatStarted"/> the caller
    /// resets its buffer on. The turn is one span (<see cref="ClaudeActorsTelemetry.TurnSpan"/>, under the current one)
    /// with a child span per attempt, and its time to first token and duration are recorded under <paramref name="labels"/>.
    /// </summary>
    public async IAsyncEnumerable<ChatEvent> RunAsync(
        TurnLabels labels,
        Func<int, CancellationToken, IAsyncEnumerable<ChatEvent>> attempt,
        bool buffered,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = Channel.CreateBounded<ChatEvent>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true });
        var state = new AttemptState { Buffered = buffered, RetryDeadline = _time.GetUtcNow() + _retryBudget, Labels = labels, Metrics = _metrics, Time = _time };
        var producer = ProduceAsync(attempt, state, output.Writer, stop.Token);
        try
        {
            await foreach (var ev in output.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                yield return ev;
            }

            await producer.ConfigureAwait(false);
            if (state.Failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(state.Failure);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The consumer left first.
            }
        }
    }

    private async Task ProduceAsync(
        Func<int, CancellationToken, IAsyncEnumerable<ChatEvent>> attempt,
        AttemptState state,
        ChannelWriter<ChatEvent> output,
        CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var span = ClaudeActorsTelemetry.Source.StartActivity(ClaudeActorsTelemetry.TurnSpan);
        span?.SetTag("claude_actors.turn.kind", state.Labels.Kind);
        span?.SetTag("claude_actors.turn.model", state.Labels.Model);
        state.StartedAt = _time.GetTimestamp();
        var outcome = "ok";
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StateKey, state);
        try
        {
            await _pipeline.ExecuteAsync(
                static async (ctx, args) =>
                {
                    var (run, st, writer) = args;
                    var number = st.Attempts++;
                    using var attemptSpan = ClaudeActorsTelemetry.Source.StartActivity(ClaudeActorsTelemetry.CliAttemptSpan);
                    attemptSpan?.SetTag("claude_actors.attempt", number);
                    try
                    {
                        await foreach (var ev in run(number, ctx.CancellationToken).ConfigureAwait(false))
                        {
                            if (ev is ChatTextDelta && !st.Buffered)
                            {
                                st.AnythingSent = true;
                            }

                            if (ev is ChatTextDelta or ChatToolCallDelta && !st.FirstTokenSeen)
                            {
                                st.FirstTokenSeen = true;
                                st.Metrics?.FirstToken(st.Labels.Kind, st.Labels.Model, st.Time.GetElapsedTime(st.StartedAt));
                            }

                            await writer.WriteAsync(ev, ctx.CancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (ChatFailure failure)
                    {
                        attemptSpan?.SetStatus(ActivityStatusCode.Error, failure.Kind.ToString());
                        if (TurnLabels.IsUpstream(failure.Kind))
                        {
                            st.Metrics?.AttemptFailed(failure.Kind);
                        }

                        throw;
                    }
                },
                context,
                (attempt, state, output)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            state.Failure = ex;
            outcome = ex is ChatFailure { Kind: var kind } ? kind.ToString() : "error";
            span?.SetStatus(ActivityStatusCode.Error, outcome);
            if (ex is ChatFailure failure)
            {
                Log.Failed(_logger, failure.Kind, state.Attempts, failure.Message, failure.InnerException);
            }
        }
        catch (OperationCanceledException)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            output.TryComplete();
            span?.SetTag("claude_actors.turn.outcome", outcome);
            span?.SetTag("claude_actors.turn.attempts", state.Attempts);
            _metrics?.TurnEnded(state.Labels.Kind, state.Labels.Model, outcome, _time.GetElapsedTime(state.StartedAt));
        }
    }

    private static ResiliencePipeline BuildPipeline(RetryOptions options, TimeProvider time, ILogger logger, ClaudeActorsMetrics? metrics)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(options.BaseBackoffSeconds),
                MaxDelay = TimeSpan.FromSeconds(Math.Max(options.MaxBackoffSeconds, options.BaseBackoffSeconds)),
                UseJitter = options.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context, time)),
                DelayGenerator = args => ValueTask.FromResult(WaitWithinBudget(options, args.AttemptNumber, args.Context, time)),
                OnRetry = args =>
                {
                    var failure = args.Outcome.Exception as ChatFailure;
                    Log.Retrying(logger, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, failure?.Kind ?? ChatFailureKind.ProcessFailed, args.Outcome.Exception?.Message ?? "");
                    metrics?.Retried(failure?.Kind ?? ChatFailureKind.ProcessFailed);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private static bool ShouldRetry(Exception? exception, ResilienceContext context, TimeProvider time) =>
        exception is ChatFailure { IsTransient: true }
        && context.Properties.TryGetValue(StateKey, out var state)
        && !state.AnythingSent
        && time.GetUtcNow() < state.RetryDeadline
        && !context.CancellationToken.IsCancellationRequested;

    /// <summary>
    /// Null (Polly's own exponential wait with jitter) while that wait ends before the turn's retry deadline whatever
    /// it is; near the deadline, the plain exponential wait cut to the time that is left.
    /// </summary>
    private static TimeSpan? WaitWithinBudget(RetryOptions options, int attemptNumber, ResilienceContext context, TimeProvider time)
    {
        if (!context.Properties.TryGetValue(StateKey, out var state))
        {
            return null;
        }

        var longest = Math.Max(options.MaxBackoffSeconds, options.BaseBackoffSeconds);
        var left = (state.RetryDeadline - time.GetUtcNow()).TotalSeconds;
        if (left >= longest)
        {
            return null;
        }

        var exponential = Math.Min(longest, options.BaseBackoffSeconds * Math.Pow(2, attemptNumber));
        return TimeSpan.FromSeconds(Math.Max(0, Math.Min(left, exponential)));
    }

    private sealed class AttemptState
    {
        public bool Buffered { get; init; }

        /// <summary>After this no retry starts (the first attempt's start plus the retry budget).</summary>
        public DateTimeOffset RetryDeadline { get; init; }

        public int Attempts { get; set; }

        public bool AnythingSent { get; set; }

        public Exception? Failure { get; set; }

        public required TurnLabels Labels { get; init; }

        public required ClaudeActorsMetrics? Metrics { get; init; }

        public required TimeProvider Time { get; init; }

        public long StartedAt { get; set; }

        public bool FirstTokenSeen { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Warning, "Retry {Retry} in {DelaySeconds:0.00} s after a transient failure ({Kind}): {Reason}")]
        public static partial void Retrying(ILogger logger, int retry, double delaySeconds, ChatFailureKind kind, string reason);

        [LoggerMessage(101, LogLevel.Warning, "Turn failed ({Kind}) after {Attempts} attempt(s): {Reason}")]
        public static partial void Failed(ILogger logger, ChatFailureKind kind, int attempts, string reason, Exception? exception);
    }
}
