using ClaudeActors.Conversations;
using ClaudeActors.Tenants;

namespace ClaudeActors.UnitTests.Tenants;

public sealed class ConversationKeyTests
{
    [Fact]
    public void The_default_tenant_keeps_plain_ids_so_older_conversations_keep_their_persistence_ids()
    {
        Assert.Equal("chat-1", ConversationKey.For(ConversationKey.DefaultTenant, "chat-1"));
        Assert.Equal((ConversationKey.DefaultTenant, "chat-1"), ConversationKey.Split("chat-1"));
    }

    [Theory]
    [InlineData("alice", "chat-1")]
    [InlineData("bob", "a/b c")]
    [InlineData("t", "default")]
    public void Other_tenants_are_a_prefix_that_splits_back(string tenant, string id)
    {
        var key = ConversationKey.For(tenant, id);

        Assert.Equal((tenant, id), ConversationKey.Split(key));
        Assert.NotEqual(ConversationKey.For("other", id), key);
        Assert.NotEqual(id, key);
    }

    [Fact]
    public void No_client_id_can_spell_another_tenants_key()
    {
        // The separator is a control character, which client ids may not hold.
        Assert.NotNull(ConversationIds.Validate("alice" + ConversationKey.Separator + "chat"));
    }

    [Fact]
    public void ForClient_shows_the_clients_ids_and_names_the_tenant()
    {
        var record = new ConversationRecord
        {
            Id = ConversationKey.For("alice", "fork"),
            CliSessionId = "c",
            Created = DateTimeOffset.UnixEpoch,
            LastUsed = DateTimeOffset.UnixEpoch,
            ForkedFrom = ConversationKey.For("alice", "source"),
        };

        var shown = ConversationKey.ForClient(record);

        Assert.Equal(("fork", "source", "alice"), (shown.Id, shown.ForkedFrom, shown.Tenant));
        Assert.Equal(ConversationKey.DefaultTenant, ConversationKey.ForClient(record with { Id = "old" }).Tenant);
    }

    [Fact]
    public void A_client_id_with_the_separator_is_refused_rather_than_naming_another_tenants_conversation() =>
        Assert.Throws<ArgumentException>(() => ConversationKey.For(ConversationKey.DefaultTenant, "alice" + ConversationKey.Separator + "secret"));
}
