using System.Globalization;
using System.Text.RegularExpressions;
using ClaudeActors.Chat;
using ClaudeActors.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.UnitTests.Supervision;

public sealed partial class TurnSupervisorTests
{
    /// <summary>Only a guard against a hang; no test depends on how long anything takes.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static (TurnSupervisor Supervisor, CapturingLogger<TurnSupervisor> Logger) Create(
        int maxRetries = 5,
        double baseBackoffSeconds = 0.001,
        double maxBackoffSeconds = 0.05,
        double maxRetrySeconds = 3600,
        TimeProvider? time = null)
    {
        var logger = new CapturingLogger<TurnSupervisor>();
        var options = new RetryOptions
        {
            MaxRetries = maxRetries,
            BaseBackoffSeconds = baseBackoffSeconds,
            MaxBackoffSeconds = maxBackoffSeconds,
            MaxRetrySeconds = maxRetrySeconds,
            UseJitter = false,
        };
        return (new TurnSupervisor(Options.Create(options), time ?? TimeProvider.System, logger), logger);
    }

    [Fact]
    public async Task RunAsync_NoRetryStartsOnceTheRetryTimeIsSpent()
    {
        // Each attempt takes 10 s of the clock's time and fails; waits are tiny. With 25 s to retry in, attempts
        // start at 0, 10 and 20 s, and the failure at 30 s goes out although 97 retries are left.
        var clock = new SteppedClock();
        var (supervisor, _) = Create(maxRetries: 100, baseBackoffSeconds: 0.001, maxBackoffSeconds: 0.001, maxRetrySeconds: 25, time: clock);
        var attempts = new ScriptedAttempts((_, ct) =>
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            return ScriptedAttempts.Play([], Transient(), ct);
        });

        var (_, error) = await ReadTurnAsync(supervisor, attempts).WaitAsync(Guard);

        Assert.Equal(Transient().Message, Assert.IsType<ChatFailure>(error).Message);
        Assert.Equal([0, 1, 2], attempts.Numbers);
    }

    [Fact]
    public async Task RunAsync_AWaitNeverRunsPastTheRetryTime()
    {
        // Waits of 2, 4, 8, 16, 32 s would take 62 s; with 20 s to retry in, the fourth wait is cut to what is left
        // (20 - 2 - 4 - 8 = 6 s) and no fifth retry starts.
        var clock = new SteppedClock();
        var (supervisor, _) = Create(maxRetries: 5, baseBackoffSeconds: 2, maxBackoffSeconds: 60, maxRetrySeconds: 20, time: clock);
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.Play([], Transient(), ct));

        var (_, error) = await ReadTurnAsync(supervisor, attempts).WaitAsync(Guard);

        Assert.IsType<ChatFailure>(error);
        Assert.Equal([0, 1, 2, 3, 4], attempts.Numbers);
        Assert.Equal(
            [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(6)],
            clock.Waited.Where(wait => wait > TimeSpan.Zero));
    }

    private static ChatFailure Transient(string message = "API Error: 529 Overloaded.") =>
        new(ChatFailureKind.Overloaded, message, isTransient: true);

    /// <summary>Reads the whole turn; what it ended in (null, or the exception) comes after all its events.</summary>
    private static async Task<(List<ChatEvent> Events, Exception? Error)> ReadTurnAsync(
        TurnSupervisor supervisor,
        ScriptedAttempts attempts,
        bool buffered = false,
        CancellationToken cancellationToken = default)
    {
        var events = new List<ChatEvent>();
        try
        {
            await foreach (var ev in supervisor.RunAsync(attempts.Run, buffered, cancellationToken))
            {
                events.Add(ev);
            }

            return (events, null);
        }
        catch (Exception ex)
        {
            return (events, ex);
        }
    }

    private static List<string> RetryMessages(CapturingLogger<TurnSupervisor> logger) =>
        [.. logger.Entries.Select(e => e.Message).Where(m => m.StartsWith("Retry ", StringComparison.Ordinal))];

    [GeneratedRegex(@"^Retry (?<n>\d+) in (?<seconds>[0-9.]+) s")]
    private static partial Regex RetryLine();

    [Fact]
    public async Task RunAsync_TransientFailure_IsRetriedWithAttemptNumbers012_AndTheSuccessfulAttemptsEventsArrive()
    {
        var (supervisor, _) = Create(maxRetries: 5);
        var attempts = new ScriptedAttempts((n, ct) => n < 2
            ? ScriptedAttempts.Play([new ChatStarted($"attempt {n}")], Transient(), ct)
            : ScriptedAttempts.Play([new ChatStarted("attempt 2"), new ChatTextDelta("Hello"), new ChatTextDelta(" world")], cancellationToken: ct));

        var (events, error) = await ReadTurnAsync(supervisor, attempts).WaitAsync(Guard);

        Assert.Null(error);
        Assert.Equal([0, 1, 2], attempts.Numbers);
        Assert.Equal<ChatEvent>(
            [
                new ChatStarted("attempt 0"),
                new ChatStarted("attempt 1"),
                new ChatStarted("attempt 2"),
                new ChatTextDelta("Hello"),
                new ChatTextDelta(" world"),
            ],
            events);
    }

    [Fact]
    public async Task RunAsync_NonTransientFailure_IsNotRetried_AndReachesTheConsumerAsTheSameChatFailure()
    {
        var (supervisor, logger) = Create(maxRetries: 5);
        var failure = new ChatFailure(ChatFailureKind.Authentication, "Invalid API key", isTransient: false);
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.Play([new ChatStarted("m")], failure, ct));

        var (events, error) = await ReadTurnAsync(supervisor, attempts).WaitAsync(Guard);

        Assert.Equal([0], attempts.Numbers);
        Assert.Same(failure, error);
        Assert.Equal<ChatEvent>([new ChatStarted("m")], events);
        Assert.Empty(RetryMessages(logger));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Turn failed (Authentication) after 1 attempt(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_AlwaysTransient_StopsAfterMaxRetries_AndThrowsTheLastFailure()
    {
        var (supervisor, logger) = Create(maxRetries: 2);
        var failures = Enumerable.Range(0, 10).Select(n => Transient($"failure {n}")).ToArray();
        var attempts = new ScriptedAttempts((n, ct) => ScriptedAttempts.Play([], failures[n], ct));

        var (_, error) = await ReadTurnAsync(supervisor, attempts).WaitAsync(Guard);

        Assert.Equal([0, 1, 2], attempts.Numbers);
        Assert.Same(failures[2], error);
        Assert.Equal(2, RetryMessages(logger).Count);
    }

    [Fact]
    public async Task RunAsync_MaxRetriesZero_MakesOneAttempt()
    {
        var (supervisor, logger) = Create(maxRetries: 0);
        var failure = Transient();
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.Play([], failure, ct));

        var (_, error) = await ReadTurnAsync(supervisor, attempts).WaitAsync(Guard);

        Assert.Equal([0], attempts.Numbers);
        Assert.Same(failure, error);
        Assert.Empty(RetryMessages(logger));
    }

    [Fact]
    public async Task RunAsync_Unbuffered_TransientFailureAfterADelta_IsNotRetried_AndReachesTheConsumerAfterTheDelta()
    {
        var (supervisor, logger) = Create(maxRetries: 5);
        var failure = Transient();
        var attempts = new ScriptedAttempts((_, ct) =>
            ScriptedAttempts.Play([new ChatStarted("m"), new ChatTextDelta("The answer is")], failure, ct));

        var (events, error) = await ReadTurnAsync(supervisor, attempts, buffered: false).WaitAsync(Guard);

        Assert.Equal([0], attempts.Numbers);
        Assert.Equal<ChatEvent>([new ChatStarted("m"), new ChatTextDelta("The answer is")], events);
        Assert.Same(failure, error);
        Assert.Empty(RetryMessages(logger));
    }

    [Fact]
    public async Task RunAsync_Buffered_TransientFailureAfterADelta_IsRetried_AndEachAttemptBeginsWithChatStarted()
    {
        var (supervisor, _) = Create(maxRetries: 5);
        var attempts = new ScriptedAttempts((n, ct) => n == 0
            ? ScriptedAttempts.Play([new ChatStarted("attempt 0"), new ChatTextDelta("half an ans")], Transient(), ct)
            : ScriptedAttempts.Play([new ChatStarted("attempt 1"), new ChatTextDelta("a whole answer")], cancellationToken: ct));

        var (events, error) = await ReadTurnAsync(supervisor, attempts, buffered: true).WaitAsync(Guard);

        Assert.Null(error);
        Assert.Equal([0, 1], attempts.Numbers);
        Assert.Equal<ChatEvent>(
            [
                new ChatStarted("attempt 0"),
                new ChatTextDelta("half an ans"),
                new ChatStarted("attempt 1"),
                new ChatTextDelta("a whole answer"),
            ],
            events);

        // A buffering consumer starts over on each ChatStarted, so it keeps only the last attempt's text.
        var text = new System.Text.StringBuilder();
        foreach (var ev in events)
        {
            switch (ev)
            {
                case ChatStarted:
                    text.Clear();
                    break;
                case ChatTextDelta delta:
                    text.Append(delta.Text);
                    break;
            }
        }

        Assert.Equal("a whole answer", text.ToString());
    }

    [Theory]
    [InlineData(0.01, 0.05)]
    [InlineData(0.05, 1.0)]
    public async Task RunAsync_RetryDelays_DoubleFromTheBase_UpToTheMaximum(double baseSeconds, double maxSeconds)
    {
        const int MaxRetries = 4;
        var (supervisor, logger) = Create(maxRetries: MaxRetries, baseBackoffSeconds: baseSeconds, maxBackoffSeconds: maxSeconds);
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.Play([], Transient(), ct));

        await ReadTurnAsync(supervisor, attempts).WaitAsync(Guard);

        var logged = RetryMessages(logger).Select(m => RetryLine().Match(m)).ToList();
        Assert.Equal(MaxRetries, logged.Count);
        Assert.All(logged, m => Assert.True(m.Success));
        Assert.Equal([1, 2, 3, 4], logged.Select(m => int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)));
        for (var i = 0; i < MaxRetries; i++)
        {
            // The message shows two decimals, so compare with the expected delay rounded the same way.
            var expected = Math.Round(Math.Min(baseSeconds * Math.Pow(2, i), maxSeconds), 2);
            var actual = double.Parse(logged[i].Groups["seconds"].Value, CultureInfo.InvariantCulture);
            Assert.Equal(expected, actual, precision: 6);
        }

        Assert.All(logger.Entries.Where(e => e.Message.StartsWith("Retry ", StringComparison.Ordinal)), e => Assert.Equal(LogLevel.Warning, e.Level));
    }

    [Fact]
    public async Task RunAsync_ConsumerCancels_CancelsTheRunningAttemptsToken_AndStartsNoOtherAttempt()
    {
        var (supervisor, _) = Create(maxRetries: 5);
        var attemptCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.PlayThenHang([new ChatStarted("m")], attemptCancelled, ct));
        using var consumer = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var ev in supervisor.RunAsync(attempts.Run, buffered: false, consumer.Token))
            {
                await consumer.CancelAsync();
            }
        }).WaitAsync(Guard);

        await attemptCancelled.Task.WaitAsync(Guard);
        Assert.Equal([0], attempts.Numbers);
        Assert.True(attempts.Tokens[0].IsCancellationRequested);
    }

    [Fact]
    public async Task RunAsync_ConsumerBreaksOut_CancelsTheRunningAttemptsToken_AndStartsNoOtherAttempt()
    {
        var (supervisor, _) = Create(maxRetries: 5);
        var attemptCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.PlayThenHang([new ChatStarted("m")], attemptCancelled, ct));

        async Task<ChatEvent?> FirstEventAsync()
        {
            await foreach (var ev in supervisor.RunAsync(attempts.Run, buffered: false, CancellationToken.None))
            {
                return ev;
            }

            return null;
        }

        var first = await FirstEventAsync().WaitAsync(Guard);

        await attemptCancelled.Task.WaitAsync(Guard);
        Assert.Equal(new ChatStarted("m"), first);
        Assert.Equal([0], attempts.Numbers);
        Assert.True(attempts.Tokens[0].IsCancellationRequested);
    }

    [Fact]
    public async Task RunAsync_AttemptCancelledBecauseTheConsumerCancelled_IsNotReportedAsAFailure()
    {
        var (supervisor, logger) = Create(maxRetries: 5);
        var attemptCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = new ScriptedAttempts((_, ct) => ScriptedAttempts.PlayThenHang([new ChatStarted("m")], attemptCancelled, ct));
        using var consumer = new CancellationTokenSource();

        var error = await CancelOnFirstEventAsync(supervisor, attempts, consumer).WaitAsync(Guard);

        await attemptCancelled.Task.WaitAsync(Guard);
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal([0], attempts.Numbers);
        Assert.Empty(RetryMessages(logger));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunAsync_TransientFailureAfterTheConsumerCancelled_IsNotRetried()
    {
        var (supervisor, logger) = Create(maxRetries: 5);
        using var consumer = new CancellationTokenSource();
        var attempts = new ScriptedAttempts((_, _) => CancelConsumerThenFail(consumer));

        // The consumer may see its own cancellation or the failure, whichever comes first; either way it is over.
        await ReadTurnAsync(supervisor, attempts, cancellationToken: consumer.Token).WaitAsync(Guard);

        Assert.Equal([0], attempts.Numbers);
        Assert.Empty(RetryMessages(logger));
    }

    private static async Task<Exception?> CancelOnFirstEventAsync(TurnSupervisor supervisor, ScriptedAttempts attempts, CancellationTokenSource consumer)
    {
        try
        {
            await foreach (var ev in supervisor.RunAsync(attempts.Run, buffered: false, consumer.Token))
            {
                await consumer.CancelAsync();
            }

            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static async IAsyncEnumerable<ChatEvent> CancelConsumerThenFail(CancellationTokenSource consumer)
    {
        yield return new ChatStarted("m");
        await consumer.CancelAsync();
        throw Transient("the process died as the client left");
    }
}
