using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.TestKit;
using Akka.TestKit.Xunit2;
using ClaudeActors.Chat;
using ClaudeActors.Cli.Protocol;
using ClaudeActors.UnitTests.Conversations;
using ClaudeActors.UnitTests.Supervision;
using ClaudeActors.Usage;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Tenants;

/// <summary>
/// A tenant's usage ledger on Akka.Persistence.TestKit's journal, and the client that records in it: a record sent
/// again, because the answer to the first was lost, is answered and counted once, also after the ledger restarts; the
/// client sends a record again while the ledger does not answer, and gives up (logged) after its time.
/// </summary>
public sealed class UsageLedgerSpecs(ITestOutputHelper output) : TestKit(SpecConfig, output: output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Config SpecConfig = ConfigurationFactory.ParseString("akka.loglevel = INFO")
        .WithFallback(ConfigurationFactory.FromResource<TestJournal>("Akka.Persistence.TestKit.config.conf"));

    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Today = DateOnly.FromDateTime(At.UtcDateTime);

    [Fact]
    public async Task A_record_sent_again_is_answered_and_counted_once_also_after_a_restart()
    {
        var record = new RecordUsage("team-a", Guid.NewGuid(), new UsageAmount(1, 10, 0, 0, 5, 0.5), At, "ci");
        var ledger = Sys.ActorOf(UsageLedger.Props("team-a"));

        ledger.Tell(record, TestActor);
        ledger.Tell(record, TestActor);
        ExpectMsg<UsageRecordedAck>(Patience);
        ExpectMsg<UsageRecordedAck>(Patience);
        Assert.Equal(1, (await RequestsAsync(ledger)).Requests);

        Watch(ledger);
        ledger.Tell(PoisonPill.Instance);
        ExpectTerminated(ledger, Patience);
        var restarted = Sys.ActorOf(UsageLedger.Props("team-a"));
        restarted.Tell(record, TestActor);
        ExpectMsg<UsageRecordedAck>(Patience);
        restarted.Tell(record with { Id = Guid.NewGuid() }, TestActor);
        ExpectMsg<UsageRecordedAck>(Patience);

        var day = await RequestsAsync(restarted);
        Assert.Equal(2, day.Requests);
        Assert.Equal(2, (await restarted.Ask<UsageReport>(new GetUsage("team-a", Today, Today), Patience)).Days[0].OfKey("ci").Requests);
    }

    [Fact]
    public async Task The_client_sends_a_record_again_while_its_answer_is_lost_and_the_ledger_counts_it_once()
    {
        var copies = CreateTestProbe();
        var ledger = Sys.ActorOf(UsageLedger.Props("team-a"));
        var lossy = Sys.ActorOf(Props.Create(() => new LosesFirstAnswer(ledger, copies.Ref)));
        var client = new UsageClient(TimeProvider.System, new CapturingLogger<UsageClient>())
        {
            AttemptTimeout = TimeSpan.FromMilliseconds(300),
            FirstRetryDelay = TimeSpan.FromMilliseconds(50),
            RetryFor = TimeSpan.FromMinutes(1),
        };
        client.Attach(lossy);

        client.Record(new UsagePayer("team-a", "ci"), new ChatCompleted("ok", "end_turn", new CliUsage(10, 5, 0, 0), 0.5));

        var first = copies.ExpectMsg<RecordUsage>(Patience);
        var again = copies.ExpectMsg<RecordUsage>(Patience);
        Assert.Equal(first, again);
        Assert.Equal(new UsageAmount(1, 10, 0, 0, 5, 0.5), (await lossy.Ask<UsageReport>(new GetUsage("team-a", DateOnly.MinValue, DateOnly.MaxValue), Patience)).Days.Single().OfKey("ci"));
    }

    [Fact]
    public async Task The_client_gives_up_a_record_the_ledger_never_answers_after_its_time_and_logs_it()
    {
        var clock = new ManualClock();
        var silent = CreateTestProbe();
        var logger = new CapturingLogger<UsageClient>();
        var client = new UsageClient(clock, logger)
        {
            AttemptTimeout = TimeSpan.FromMilliseconds(200),
            FirstRetryDelay = TimeSpan.FromSeconds(10),
            RetryFor = TimeSpan.FromMinutes(1),
        };
        client.Attach(silent.Ref);

        client.Record(new UsagePayer("team-a", null), new ChatCompleted("ok", "end_turn", new CliUsage(10, 5, 0, 0), 0.5));

        // The clock moves only here: each step ends a pending back-off, until the time to try is over (how many attempts
        // that takes depends on where each step lands, so only the outcome is checked).
        await AwaitConditionAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromSeconds(40));
                return Task.FromResult(logger.Entries.Any(e => e.Level == LogLevel.Warning));
            },
            Patience,
            TimeSpan.FromMilliseconds(100));
        Assert.Contains("could not be recorded", Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning).Message, StringComparison.Ordinal);
        Assert.All(silent.ReceiveWhile(TimeSpan.Zero, m => m), m => Assert.IsType<RecordUsage>(m));
    }

    private async Task<UsageAmount> RequestsAsync(IActorRef ledger) =>
        (await ledger.Ask<UsageReport>(new GetUsage("team-a", Today, Today), Patience)).Days.Single().Amount;

    /// <summary>Passes messages to the ledger, but the ledger's answer to the first record goes nowhere; copies every record.</summary>
    private sealed class LosesFirstAnswer : ReceiveActor
    {
        public LosesFirstAnswer(IActorRef ledger, IActorRef copies)
        {
            var lost = false;
            Receive<RecordUsage>(record =>
            {
                copies.Tell(record);
                if (!lost)
                {
                    lost = true;
                    ledger.Tell(record, ActorRefs.NoSender);
                    return;
                }

                ledger.Forward(record);
            });
            Receive<GetUsage>(get => ledger.Forward(get));
        }
    }
}
