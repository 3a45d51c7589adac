using ClaudeActors.Conversations;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>The pure fold of a conversation's events (<see cref="ConversationState.Apply"/>).</summary>
public sealed class ConversationStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_Started_CreatesTheConversationWithWhatItStartsWith()
    {
        var turns = new[] { Turn(1, "earlier") };

        var state = ConversationState.Empty.Apply(new ConversationStarted(Record() with { Turns = 7 }, ["e1", "e2"], turns, T0.AddMinutes(1)));

        Assert.True(state.Exists);
        Assert.Equal(1, state.Record!.Turns);
        Assert.Equal(T0.AddMinutes(1), state.Record.LastUsed);
        Assert.Equal(turns, state.Turns);
        Assert.Equal(["e1", "e2"], state.Transcript);
    }

    [Fact]
    public void Apply_TurnRecorded_AppendsTheTurnAndItsTranscriptAndUpdatesTheRecord()
    {
        var started = Started();

        var state = started.Apply(new TurnRecorded(Turn(1, "a1"), ["u1", "a1"], "hash-1", "opus", T0.AddMinutes(5)));

        Assert.Equal(1, state.Record!.Turns);
        Assert.Equal(T0.AddMinutes(5), state.Record.LastUsed);
        Assert.Equal("hash-1", state.Record.HistoryHash);
        Assert.Equal("opus", state.Record.Model);
        Assert.Equal(ConversationStatus.Warm, state.Record.State);
        Assert.Equal(["a1"], state.Turns.Select(t => t.Answer));
        Assert.Equal(["u1", "a1"], state.Transcript);
    }

    [Fact]
    public void Apply_TurnRecordedWithoutModelOrHash_KeepsTheModelAndClearsTheHash()
    {
        var state = Started()
            .Apply(new TurnRecorded(Turn(1, "a1"), [], "hash-1", null, T0))
            .Apply(new TurnRecorded(Turn(2, "a2"), [], null, null, T0));

        Assert.Equal("sonnet", state.Record!.Model);
        Assert.Null(state.Record.HistoryHash);
        Assert.Equal(2, state.Record.Turns);
    }

    [Fact]
    public void Apply_TranscriptAppendedAndPassivated_KeepTheTurns()
    {
        var state = Started()
            .Apply(new TurnRecorded(Turn(1, "a1"), ["u1", "a1"], null, null, T0))
            .Apply(new TranscriptAppended(["late"], T0))
            .Apply(new ConversationPassivated(T0));

        Assert.Equal(["u1", "a1", "late"], state.Transcript);
        Assert.Equal(ConversationStatus.Passivated, state.Record!.State);
        Assert.Single(state.Turns);
    }

    [Fact]
    public void Apply_Deleted_LeavesNothing_AndTheIdMayStartAgain()
    {
        var deleted = Started().Apply(new TurnRecorded(Turn(1, "a1"), ["u1"], null, null, T0)).Apply(new ConversationDeleted(T0));

        Assert.False(deleted.Exists);
        Assert.Empty(deleted.Turns);
        Assert.Empty(deleted.Transcript);
        var again = deleted.Apply(new ConversationStarted(Record() with { CliSessionId = "other" }, [], [], T0));
        Assert.Equal("other", again.Record!.CliSessionId);
        Assert.Equal(0, again.Record.Turns);
    }

    [Fact]
    public void Apply_ResponseDeleted_ForgetsOnlyThatResponse_AndKeepsTheTurns()
    {
        var state = Started()
            .Apply(new TurnRecorded(Turn(1, "a1") with { ResponseId = "r1", ResponseEnvelope = "{}" }, ["u1"], null, null, T0))
            .Apply(new TurnRecorded(Turn(2, "a2") with { ResponseId = "r2", ResponseEnvelope = "{}" }, ["u2"], null, null, T0));

        var after = state.Apply(new ResponseDeleted("r1", T0));

        Assert.Equal(["a1", "a2"], after.Turns.Select(t => t.Answer));
        Assert.Null(after.Turns[0].ResponseId);
        Assert.Null(after.Turns[0].ResponseEnvelope);
        Assert.Equal("r2", after.Turns[1].ResponseId);
        Assert.Equal("r1", state.Turns[0].ResponseId);
        Assert.Equal(state.Transcript, after.Transcript);
    }

    [Fact]
    public void Apply_EventsOfAConversationThatDoesNotExist_ChangeNothing()
    {
        var empty = ConversationState.Empty;

        Assert.Same(empty, empty.Apply(new TurnRecorded(Turn(1, "a1"), ["u1"], null, null, T0)));
        Assert.Same(empty, empty.Apply(new TranscriptAppended(["x"], T0)));
        Assert.Same(empty, empty.Apply(new ConversationPassivated(T0)));
    }

    [Fact]
    public void Apply_NeverChangesTheStateItIsCalledOn()
    {
        var started = Started();

        _ = started.Apply(new TurnRecorded(Turn(1, "a1"), ["u1"], "h", "opus", T0.AddHours(1)));
        _ = started.Apply(new ConversationDeleted(T0));

        Assert.Equal(0, started.Record!.Turns);
        Assert.Equal("sonnet", started.Record.Model);
        Assert.Equal(ConversationStatus.Idle, started.Record.State);
        Assert.Empty(started.Turns);
        Assert.Empty(started.Transcript);
    }

    private static ConversationState Started() => ConversationState.Empty.Apply(new ConversationStarted(Record(), [], [], T0));

    private static ConversationRecord Record() => new()
    {
        Id = "c",
        CliSessionId = "0b7c9d35-7f53-4a3c-9d0e-2f1f6f3f1a11",
        Model = "sonnet",
        Created = T0,
        LastUsed = T0,
        HistoryHash = "hash-0",
    };

    private static TurnRecord Turn(int sequence, string answer) => new()
    {
        Sequence = sequence,
        RequestJson = "[]",
        Answer = answer,
        Status = "completed",
        Started = T0,
    };
}
