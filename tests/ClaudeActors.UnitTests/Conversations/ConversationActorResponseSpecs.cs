using Akka.Actor;
using ClaudeActors.Chat;
using ClaudeActors.Conversations;
using Xunit.Abstractions;

namespace ClaudeActors.UnitTests.Conversations;

/// <summary>
/// Responses API turns in the entity: a turn keeps its response, a turn that must follow a response runs only when that
/// response is the latest, and a deleted response is persisted as gone (a new incarnation does not bring it back).
/// </summary>
public sealed class ConversationActorResponseSpecs(ITestOutputHelper output) : ConversationSpec(output)
{
    private StartTurn ResponseTurn(string id, string text, string responseId, string? follows) => Turn(id, text) with
    {
        Turn = Turn(id, text).Turn with
        {
            Request = Turn(id, text).Turn.Request with { ResponseId = responseId, ResponseEnvelope = "{\"n\":\"" + responseId + "\"}", FollowsResponseId = follows },
        },
    };

    [Fact]
    public async Task A_turn_that_follows_a_response_runs_only_while_that_response_is_the_latest()
    {
        var (entity, _) = Incarnation("r1");
        await ReadAsync(await AcceptAsync(entity, ResponseTurn("r1", "one", "a", null)));
        await ReadAsync(await AcceptAsync(entity, ResponseTurn("r1", "two", "b", follows: "a")));

        var stale = await ReadAsync(await AcceptAsync(entity, ResponseTurn("r1", "three", "c", follows: "a")));

        var failed = Assert.IsType<ChatFailed>(Assert.Single(stale));
        Assert.Equal(ChatFailureKind.PreviousResponseNotLatest, failed.Kind);
        var view = await GetAsync(entity, "r1");
        Assert.Equal(["a", "b"], view.Turns.Select(t => t.ResponseId));
        Assert.Equal("{\"n\":\"b\"}", view.Turns[1].ResponseEnvelope);
    }

    [Fact]
    public async Task A_deleted_response_stays_deleted_in_the_next_incarnation_and_its_turn_stays()
    {
        var (first, shard) = Incarnation("r2");
        await ReadAsync(await AcceptAsync(first, ResponseTurn("r2", "one", "a", null)));
        await ReadAsync(await AcceptAsync(first, ResponseTurn("r2", "two", "b", null)));

        var deleted = await first.Ask<ConversationDeleteResult>(new DeleteResponse("r2", "a", Clock.GetUtcNow() + Patience), Patience);
        var again = await first.Ask<ConversationDeleteResult>(new DeleteResponse("r2", "a", Clock.GetUtcNow() + Patience), Patience);
        await HandOffAsync(first, shard);

        Assert.True(deleted.Existed);
        Assert.False(again.Existed);
        var (second, _) = Incarnation("r2");
        var view = await GetAsync(second, "r2");
        Assert.Equal([null, "b"], view.Turns.Select(t => t.ResponseId));
        Assert.Null(view.Turns[0].ResponseEnvelope);
        Assert.Equal(["echo: one", "echo: two"], view.Turns.Select(t => t.Answer));
        Assert.Contains(await JournalAsync("r2"), e => e is ResponseDeleted { ResponseId: "a" });
    }
}
