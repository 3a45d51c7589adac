using ClaudeActors.Chat;
using ClaudeActors.Conversations;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>The entity persists its turns before it answers them, recovers them in a new incarnation, and snapshots.</summary>
public sealed class ConversationActorPersistenceSpecs(ITestOutputHelper output) : ConversationSpec(output)
{
    [Fact]
    public async Task A_turn_is_answered_from_the_process_and_persisted_with_its_transcript()
    {
        var (entity, _) = Incarnation("c1");

        var events = await RunTurnAsync(entity, "c1", "hello");

        Assert.Equal(new ChatSessionInfo("c1", SystemPromptIgnored: false, Continued: false), events[0]);
        Assert.Equal(new ChatStarted("fake-model"), events[1]);
        Assert.Equal(new ChatTextDelta("echo: hello"), events[2]);
        Assert.Equal("echo: hello", Assert.IsType<ChatCompleted>(events[^1]).Text);
        var journal = await JournalAsync("c1");
        Assert.Collection(
            journal,
            e => Assert.Equal("c1", Assert.IsType<ConversationStarted>(e).Record.Id),
            e =>
            {
                var recorded = Assert.IsType<TurnRecorded>(e);
                Assert.Equal(1, recorded.Turn.Sequence);
                Assert.Equal("completed", recorded.Turn.Status);
                Assert.Equal("echo: hello", recorded.Turn.Answer);
                Assert.Contains("\"text\":\"hello\"", recorded.Turn.RequestJson, StringComparison.Ordinal);
                Assert.Equal(2, recorded.Transcript.Count);
                Assert.Contains("echo: hello", recorded.Transcript[1], StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task A_new_incarnation_recovers_the_conversation_and_resumes_the_CLI_from_its_events()
    {
        var (first, shard) = Incarnation("c2");
        await RunTurnAsync(first, "c2", "one");
        await RunTurnAsync(first, "c2", "two");
        await HandOffAsync(first, shard);

        // The hand-off ended the process gracefully: the CLI's last mirrored entry and the passivation are stored.
        var journal = await JournalAsync("c2");
        Assert.Equal(
            [typeof(ConversationStarted), typeof(TurnRecorded), typeof(TurnRecorded), typeof(TranscriptAppended), typeof(ConversationPassivated)],
            journal.Select(e => e.GetType()));

        var (second, _) = Incarnation("c2");
        var view = await GetAsync(second, "c2", includeTranscript: true);
        Assert.NotNull(view.Record);
        Assert.Equal(2, view.Record.Turns);
        Assert.Equal(ConversationStatus.Passivated, view.Record.State);
        Assert.Equal(["echo: one", "echo: two"], view.Turns.Select(t => t.Answer));
        Assert.Equal(5, view.Transcript!.Count);
        Assert.False(view.Process.Warm);

        var third = await RunTurnAsync(second, "c2", "three");

        Assert.Equal(new ChatSessionInfo("c2", false, Continued: true), third[0]);
        Assert.Equal("echo: three", Assert.IsType<ChatCompleted>(third[^1]).Text);

        // The CLI resumed from the transcript written from the events, exactly as they hold it.
        var resumed = Assert.Single(Rig.Cli.ResumedTranscripts);
        Assert.Equal(view.Transcript, resumed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var after = await GetAsync(second, "c2");
        Assert.Equal([1, 2, 3], after.Turns.Select(t => t.Sequence));
        Assert.Equal(2, Rig.Cli.Starts);
    }

    [Fact]
    public async Task Every_fiftieth_event_saves_a_snapshot_that_a_recovery_starts_from()
    {
        // Event 1 starts the conversation, events 2..50 are turns 1..49: the 49th turn's event is the 50th.
        var (first, _) = Incarnation("c3");
        for (var turn = 1; turn < 49; turn++)
        {
            await RunTurnAsync(first, "c3", "t" + turn);
        }

        Assert.Null(await LatestSnapshotAsync("c3"));
        await RunTurnAsync(first, "c3", "t49");
        await AwaitAssertAsync(async () => Assert.NotNull(await LatestSnapshotAsync("c3")), Patience);

        var snapshot = (await LatestSnapshotAsync("c3"))!;
        Assert.Equal(50, snapshot.Metadata.SequenceNr);
        var state = Assert.IsType<ConversationState>(snapshot.Snapshot);
        Assert.Equal(49, state.Turns.Count);
        Assert.Equal(98, state.Transcript.Count);
        await StopAsync(first);

        // Without the events the snapshot covers, a new incarnation still has all 49 turns: it recovered from the snapshot.
        await DeleteEventsAsync("c3", 50);
        Assert.Empty(await JournalAsync("c3"));
        var (second, _) = Incarnation("c3");
        var view = await GetAsync(second, "c3");
        Assert.Equal(49, view.Record!.Turns);
        Assert.Equal(49, view.Turns.Count);

        var next = await RunTurnAsync(second, "c3", "t50");
        Assert.Equal("echo: t50", Assert.IsType<ChatCompleted>(next[^1]).Text);
        var recorded = Assert.IsType<TurnRecorded>(Assert.Single(await JournalAsync("c3")));
        Assert.Equal(50, recorded.Turn.Sequence);
    }
}
