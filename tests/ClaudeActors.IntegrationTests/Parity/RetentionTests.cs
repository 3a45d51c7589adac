using System.Net;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Parity;

/// <summary>
/// Retention end to end on the real CLI: the sweep (a cluster singleton, here on a node alone) deletes idle
/// conversations with their transcripts, and conversations whose first turn failed. The ages are a second or so and
/// the sweep runs every second, so the tests wait (generously) for the deletion; nothing is timed.
/// </summary>
public sealed class RetentionTests
{
    private static async Task<bool> GoneAsync(TestGateway gateway, string id)
    {
        using var response = await gateway.Http.GetAsync("v1/sessions/" + Uri.EscapeDataString(id));
        return response.StatusCode == HttpStatusCode.NotFound;
    }

    private static bool TranscriptExists(TestGateway gateway, string cliSessionId) =>
        Directory.Exists(gateway.CliConfigDirectory)
        && Directory.EnumerateFiles(gateway.CliConfigDirectory, cliSessionId + ".jsonl", SearchOption.AllDirectories).Any();

    [Fact]
    public async Task An_idle_conversation_is_deleted_with_its_transcript()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var node = RestartableGateway.Create(upstream.BaseUrl, TestDatabases.DefaultProvider, "claude-actors-retention-");
        var id = "idle-" + Guid.NewGuid().ToString("N");
        string cliSessionId;

        // First without retention, so the conversation and its transcript are seen before anything can delete them.
        await using (var first = await node.StartAsync())
        {
            await SessionApi.SayAsync(first.Http, id, "Hello");
            cliSessionId = (await SessionApi.GetAsync(first.Http, id)).GetProperty("cli_session_id").GetString()!;
            await Eventually.TrueAsync(() => TranscriptExists(first, cliSessionId), "the CLI wrote the transcript");
        }

        await using var gateway = await node.StartAsync(s =>
        {
            s["ClaudeActors:Retention:MaxIdleDays"] = "0.00002"; // about 1.7 s
            s["ClaudeActors:Retention:SweepIntervalSeconds"] = "1";
        });

        await Eventually.TrueAsync(() => GoneAsync(gateway, id), "the idle conversation was deleted");

        await Eventually.TrueAsync(() => !TranscriptExists(gateway, cliSessionId), "its transcript was deleted");
        using var list = await gateway.Http.GetAsync("v1/sessions");
        Assert.DoesNotContain(id, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_first_turn_leaves_a_conversation_without_turns_for_the_sweep()
    {
        // What the sweep cleans up: the conversation was created for the turn, and the turn failed. With the default
        // grace of ten minutes it is still there right after the failure.
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Error(400, "invalid_request_error", "Refused by the fake upstream");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var failed = "failed-" + Guid.NewGuid().ToString("N");

        using (var response = await SessionApi.PostAsync(gateway.Http, failed, "fail"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(0, (await SessionApi.GetAsync(gateway.Http, failed)).GetProperty("turns").GetInt32());
    }

    [Fact]
    public async Task A_conversation_whose_first_turn_failed_is_not_left_behind_while_a_good_one_stays()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.LastUserText == "fail" ? FakeReply.Error(400, "invalid_request_error", "Refused by the fake upstream") : null;
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Retention:FailedStartGraceSeconds"] = "1";
            s["ClaudeActors:Retention:SweepIntervalSeconds"] = "1";
        });
        var good = "good-" + Guid.NewGuid().ToString("N");
        var failed = "failed-" + Guid.NewGuid().ToString("N");
        await SessionApi.SayAsync(gateway.Http, good, "Hello");

        using (var response = await SessionApi.PostAsync(gateway.Http, failed, "fail"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        await Eventually.TrueAsync(() => GoneAsync(gateway, failed), "the failed start was deleted");

        // Retention of idle conversations is off (the default): the answered one stays.
        await SessionApi.AssertTurnsAsync(gateway.Http, good, 1);
    }
}
