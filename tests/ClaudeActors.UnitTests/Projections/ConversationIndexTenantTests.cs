using ClaudeActors.Projections;
using ClaudeActors.Tenants;
using static ClaudeActors.UnitTests.Projections.IndexSamples;

namespace ClaudeActors.UnitTests.Projections;

/// <summary>The index keeps tenants apart: lists and history-hash lookups see only the caller's tenant.</summary>
public sealed class ConversationIndexTenantTests
{
    private static readonly string AliceShared = ConversationKey.For("alice", "shared");
    private static readonly string BobShared = ConversationKey.For("bob", "shared");

    [Fact]
    public void A_history_hash_matches_only_within_its_tenant()
    {
        var book = new ConversationIndexBook();
        book.Set(AliceShared, 1, Record(AliceShared, 1, "same-history", lastUsedSecond: 90));
        book.Set("legacy", 1, Record("legacy", 2, "legacy-history", lastUsedSecond: 10));

        Assert.Equal(AliceShared, book.FindByHistoryHash("same-history", "alice"));
        Assert.Null(book.FindByHistoryHash("same-history", "bob"));
        Assert.Null(book.FindByHistoryHash("same-history"));
        Assert.Equal("legacy", book.FindByHistoryHash("legacy-history"));
        Assert.Null(book.FindByHistoryHash("legacy-history", "alice"));

        // Bob's own conversation with that history, used less recently than alice's, is still his answer.
        book.Set(BobShared, 1, Record(BobShared, 3, "same-history", lastUsedSecond: 5));
        Assert.Equal(BobShared, book.FindByHistoryHash("same-history", "bob"));
        Assert.Equal(AliceShared, book.FindByHistoryHash("same-history", "alice"));
    }

    [Fact]
    public void A_tenants_list_holds_only_its_conversations_and_pages_within_them()
    {
        var book = new ConversationIndexBook();
        var alice = Enumerable.Range(1, 3).Select(i => ConversationKey.For("alice", $"a{i}")).ToList();
        for (var i = 0; i < 3; i++)
        {
            book.Set(alice[i], 1, Record(alice[i], (i * 2) + 1, null));
            var bob = ConversationKey.For("bob", $"b{i}");
            book.Set(bob, 1, Record(bob, (i * 2) + 2, null));
        }

        var first = book.List(2, null, "alice");
        var second = book.List(2, first.Items[^1].Id, "alice");

        Assert.Equal([alice[2], alice[1]], first.Items.Select(r => r.Id));
        Assert.True(first.HasMore);
        Assert.Equal([alice[0]], second.Items.Select(r => r.Id));
        Assert.False(second.HasMore);
        Assert.Equal(6, book.List(10, null).Items.Count);
        Assert.Empty(book.List(10, null, "carol").Items);
    }
}
