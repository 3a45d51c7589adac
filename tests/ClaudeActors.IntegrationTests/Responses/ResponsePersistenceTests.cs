using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Journal;
using static ClaudeActors.IntegrationTests.Responses.ResponsesApi;

namespace ClaudeActors.IntegrationTests.Responses;

/// <summary>
/// Stored responses live in the journal with their conversation: after a restart a response reads back the same, a
/// deleted one stays deleted, and <c>previous_response_id</c> continues the conversation with its whole history.
/// </summary>
public sealed class ResponsePersistenceTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Responses_and_their_deletion_survive_a_restart_and_continue_the_conversation(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-responses-");

        string kept, deleted, keptJson;
        await using (var before = await gateways.StartAsync())
        {
            var (status, first, raw) = await PostAsync(before, """{"model":"sonnet","input":"My cat is called Tom.","metadata":{"k":"v"}}""");
            Assert.Equal(200, status);
            (kept, keptJson) = (Str(first, "id"), raw);

            var (otherStatus, other, _) = await PostAsync(before, """{"model":"sonnet","input":"Something else."}""");
            Assert.Equal(200, otherStatus);
            deleted = Str(other, "id");
            var (deleteStatus, _, _) = await SendAsync(before, HttpMethod.Delete, "v1/responses/" + deleted);
            Assert.Equal(200, deleteStatus);
        }

        await using var after = await gateways.StartAsync();
        var (getStatus, _, getRaw) = await SendAsync(after, HttpMethod.Get, "v1/responses/" + kept);
        Assert.Equal(200, getStatus);
        Assert.Equal(keptJson, getRaw);
        var (goneStatus, _, _) = await SendAsync(after, HttpMethod.Get, "v1/responses/" + deleted);
        Assert.Equal(404, goneStatus);
        var (refused, refusal, _) = await PostAsync(after, $$"""{"model":"sonnet","input":"more","previous_response_id":"{{deleted}}"}""");
        Assert.Equal(400, refused);
        Assert.Equal("previous_response_not_found", Str(refusal.GetProperty("error"), "code"));

        var (nextStatus, next, _) = await PostAsync(after, $$"""{"model":"sonnet","input":"What is my cat called?","previous_response_id":"{{kept}}"}""");
        Assert.Equal(200, nextStatus);
        Assert.Equal("echo: What is my cat called?", Str(next.GetProperty("output")[0].GetProperty("content")[0], "text"));
        Assert.Equal(kept, Str(next, "previous_response_id"));
        var request = upstream.MessageRequests[^1];
        Assert.Equal(["My cat is called Tom.", "What is my cat called?"], request.UserTexts);
        Assert.Equal(["user", "assistant", "user"], request.MessageRoles);
    }
}
