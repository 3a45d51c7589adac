using Akka.Persistence.Journal;
using ClaudeActors.Conversations;
using ClaudeActors.Persistence;

namespace ClaudeActors.UnitTests.Persistence;

public sealed class ConversationEventTaggerTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Theory]
    [InlineData(nameof(ConversationStarted))]
    [InlineData(nameof(TurnRecorded))]
    [InlineData(nameof(ConversationPassivated))]
    [InlineData(nameof(ConversationDeleted))]
    public void Events_the_index_needs_are_tagged(string type)
    {
        IConversationEvent e = type switch
        {
            nameof(ConversationStarted) => new ConversationStarted(new ConversationRecord { Id = "a", CliSessionId = "c", Created = At, LastUsed = At }, [], [], At),
            nameof(TurnRecorded) => new TurnRecorded(new TurnRecord { Sequence = 1, RequestJson = "[]", Answer = "", Status = "completed", Started = At }, [], "h", null, At),
            nameof(ConversationPassivated) => new ConversationPassivated(At),
            _ => new ConversationDeleted(At),
        };
        var tagged = Assert.IsType<Tagged>(new ConversationEventTagger().ToJournal(e));
        Assert.Same(e, tagged.Payload);
        Assert.Equal([ConversationTags.Index], tagged.Tags);
    }

    [Fact]
    public void Transcript_appends_and_other_messages_are_not_tagged()
    {
        var tagger = new ConversationEventTagger();
        var appended = new TranscriptAppended(["{}"], At);
        Assert.Same(appended, tagger.ToJournal(appended));
        Assert.Equal("other", tagger.ToJournal("other"));
    }
}
