using Akka.Actor;
using ClaudeActors.Conversations;
using ClaudeActors.Retention;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>The entity checks a retention delete's limits against its own state before it deletes.</summary>
public sealed class ConversationActorRetentionSpecs(ITestOutputHelper output) : ConversationSpec(output)
{
    private Task<ConversationDeleteResult> DeleteAsync(IActorRef entity, string id, Expiry expiry) =>
        entity.Ask<ConversationDeleteResult>(new DeleteConversation(id, Clock.GetUtcNow() + Patience) { Expiry = expiry }, Patience);

    [Fact]
    public async Task A_conversation_used_since_the_limit_stays_and_one_idle_past_it_is_deleted()
    {
        var (entity, _) = Incarnation("r1");
        await RunTurnAsync(entity, "r1", "hello");
        var used = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromDays(3));

        // The sweep looked before the last use: the entity keeps the conversation.
        Assert.False((await DeleteAsync(entity, "r1", new Expiry(used - TimeSpan.FromSeconds(1), used - TimeSpan.FromSeconds(1)))).Existed);
        Assert.Equal(1, (await GetAsync(entity, "r1")).Record!.Turns);

        // A conversation with a turn is no failed start, however old.
        Assert.False((await DeleteAsync(entity, "r1", new Expiry(null, Clock.GetUtcNow()))).Existed);

        Assert.True((await DeleteAsync(entity, "r1", new Expiry(Clock.GetUtcNow() - TimeSpan.FromDays(1), used))).Existed);
        var (next, _) = Incarnation("r1");
        Assert.Null((await GetAsync(next, "r1")).Record);
    }
}
