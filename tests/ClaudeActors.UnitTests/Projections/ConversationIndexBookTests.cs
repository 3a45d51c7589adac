using ClaudeActors.Conversations;
using ClaudeActors.Projections;
using static ClaudeActors.UnitTests.Projections.IndexSamples;

namespace ClaudeActors.UnitTests.Projections;

public sealed class ConversationIndexBookTests
{
    [Fact]
    public void List_pages_newest_created_first_with_ties_by_id()
    {
        var book = new ConversationIndexBook();
        book.Apply("a", 1, Started("a", 1));
        book.Apply("c", 1, Started("c", 5));
        book.Apply("b", 1, Started("b", 5));
        book.Apply("d", 1, Started("d", 9));

        var first = book.List(2, null);
        Assert.Equal(["d", "b"], first.Items.Select(r => r.Id));
        Assert.True(first.HasMore);
        var second = book.List(2, "b");
        Assert.Equal(["c", "a"], second.Items.Select(r => r.Id));
        Assert.False(second.HasMore);
        Assert.Empty(book.List(2, "a").Items);
        Assert.Equal(new ConversationPage([], false), book.List(2, "gone"));
    }

    [Fact]
    public void Apply_folds_turns_into_the_record_and_ignores_what_it_has_seen()
    {
        var book = new ConversationIndexBook();
        Assert.True(book.Apply("a", 1, Started("a", 1, "h0")));
        Assert.True(book.Apply("a", 3, Turn(1, 4, "h1")));
        Assert.False(book.Apply("a", 3, Turn(1, 4, "h1")));
        Assert.False(book.Apply("a", 2, Turn(7, 9, "stale")));

        var record = book.Get("a")!;
        Assert.Equal((1, "h1", "model-x", T0.AddSeconds(4), ConversationStatus.Warm), (record.Turns, record.HistoryHash, record.Model, record.LastUsed, record.State));
        Assert.Null(book.FindByHistoryHash("h0"));
        Assert.Equal("a", book.FindByHistoryHash("h1"));
        Assert.Null(book.FindByHistoryHash("stale"));
    }

    [Fact]
    public void FindByHistoryHash_takes_the_most_recently_used()
    {
        var book = new ConversationIndexBook();
        book.Set("x", 1, Record("x", 1, "same", lastUsedSecond: 50));
        book.Set("y", 1, Record("y", 2, "same", lastUsedSecond: 60));
        book.Set("z", 1, Record("z", 3, "same", lastUsedSecond: 60));
        Assert.Equal("y", book.FindByHistoryHash("same"));
        book.Set("y", 2, null);
        Assert.Equal("z", book.FindByHistoryHash("same"));
    }

    [Fact]
    public void A_deleted_conversation_stays_deleted_until_a_newer_event_starts_it_again()
    {
        var book = new ConversationIndexBook();
        book.Apply("a", 1, Started("a", 1, "h"));
        book.Apply("a", 2, new ConversationDeleted(T0.AddSeconds(2)));
        Assert.Equal(0, book.Count);
        Assert.Null(book.FindByHistoryHash("h"));

        // The journal query brings the older events again: they must not bring the conversation back.
        Assert.False(book.Apply("a", 1, Started("a", 1, "h")));
        Assert.Empty(book.List(10, null).Items);

        Assert.True(book.Apply("a", 3, Started("a", 3)));
        Assert.Equal(T0.AddSeconds(3), Assert.Single(book.List(10, null).Items).Created);
    }
}
