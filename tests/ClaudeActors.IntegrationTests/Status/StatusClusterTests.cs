using System.Text.Json;
using ClaudeActors.IntegrationTests.Cluster;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using OpenAI.Chat;

namespace ClaudeActors.IntegrationTests.Status;

/// <summary><c>GET /v1/status</c> on a cluster of two: every member with its figures, and each node's own requests.</summary>
public sealed class StatusClusterTests
{
    [Fact]
    public async Task Each_node_lists_both_members_and_where_the_conversation_lives_but_only_its_own_requests()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("Hello from the fake upstream");
        await using var cluster = await TwoNodeCluster.StartAsync(upstream.BaseUrl);
        var (a, b) = (cluster.A, cluster.B!);

        ChatCompletion answer = await a.OpenAiChat("sonnet", "status-cluster").CompleteChatAsync([new UserChatMessage("Say hello")]);
        Assert.Equal("Hello from the fake upstream", answer.Content[0].Text);

        foreach (var (node, other) in new[] { (a, b), (b, a) })
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    var members = (await StatusApi.GetAsync(node)).GetProperty("cluster").GetProperty("members").EnumerateArray().ToList();
                    return members.Count == 2
                        && members.All(m => m.GetProperty("status").GetString() == "Up" && m.GetProperty("reachable").GetBoolean())
                        && members.Sum(m => m.GetProperty("conversations").ValueKind == JsonValueKind.Number ? m.GetProperty("conversations").GetInt32() : -10) == 1
                        && members.Sum(m => m.GetProperty("warm_processes").ValueKind == JsonValueKind.Number ? m.GetProperty("warm_processes").GetInt32() : -10) == 1;
                },
                "the status lists both members Up, the one live conversation and its warm process");

            var status = await StatusApi.GetAsync(node);
            var self = Assert.Single(status.GetProperty("cluster").GetProperty("members").EnumerateArray(), m => m.GetProperty("self").GetBoolean());
            Assert.Equal(status.GetProperty("node").GetString(), self.GetProperty("address").GetString());
            var otherAddress = (await StatusApi.GetAsync(other)).GetProperty("node").GetString();
            Assert.Contains(status.GetProperty("cluster").GetProperty("members").EnumerateArray(), m => m.GetProperty("address").GetString() == otherAddress);
        }

        // The turn reached A only: A lists it, B does not (each lists the fixture's GET /v1/cluster polls too).
        Assert.Single(await ChatRequestsAsync(a));
        Assert.Empty(await ChatRequestsAsync(b));
    }

    private static async Task<List<JsonElement>> ChatRequestsAsync(TestGateway node) =>
        [.. (await StatusApi.GetAsync(node)).GetProperty("requests").GetProperty("recent").EnumerateArray()
            .Where(r => r.GetProperty("path").GetString() == "/v1/chat/completions")];
}
