using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Sessions;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Sessions;

/// <summary>GET, list, DELETE and fork on /v1/sessions.</summary>
public sealed class SessionApiTests
{
    [Fact]
    public async Task Sessions_are_listed_newest_first_in_pages()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        foreach (var id in (string[])["one", "two", "three"])
        {
            await SessionApi.SayAsync(gateway.Http, id, "hi");
        }

        using var first = await gateway.Http.GetAsync("v1/sessions?limit=2");
        var page = await Sse.JsonAsync(first);
        using var second = await gateway.Http.GetAsync("v1/sessions?limit=2&after=" + page.GetProperty("last_id").GetString());
        var rest = await Sse.JsonAsync(second);
        using var bad = await gateway.Http.GetAsync("v1/sessions?limit=0");

        Assert.Equal(["three", "two"], page.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.True(page.GetProperty("has_more").GetBoolean());
        Assert.Equal(["one"], rest.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.False(rest.GetProperty("has_more").GetBoolean());
        Assert.Equal(400, (int)bad.StatusCode);
    }

    [Fact]
    public async Task A_session_shows_its_record_and_turns()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Text("first answer", usage: new FakeUsage(10, 3, 2, 1)));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "shown", "first question", system: "Be kind.");

        var session = await SessionApi.GetAsync(gateway.Http, "shown");
        using var missing = await gateway.Http.GetAsync("v1/sessions/nope");

        Assert.Equal("session", session.GetProperty("object").GetString());
        Assert.Equal("Be kind.", session.GetProperty("system_prompt").GetString());
        Assert.Equal("warm", session.GetProperty("state").GetString());
        var turn = session.GetProperty("history")[0];
        Assert.Equal("first answer", turn.GetProperty("answer").GetString());
        Assert.Contains("first question", turn.GetProperty("request").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(10, turn.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(2, turn.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal("session_not_found", (await Sse.JsonAsync(missing)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Deleting_a_session_ends_its_process_and_removes_its_journal_and_transcript()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "doomed", "hi");
        var session = await SessionApi.GetAsync(gateway.Http, "doomed");
        var pid = session.GetProperty("process").GetProperty("pid").GetInt32();
        var transcript = Directory.GetFiles(gateway.CliConfigDirectory, session.GetProperty("cli_session_id").GetString() + ".jsonl", SearchOption.AllDirectories);
        Assert.Single(transcript);

        using var deleted = await gateway.Http.DeleteAsync("v1/sessions/doomed");
        using var again = await gateway.Http.DeleteAsync("v1/sessions/doomed");
        using var gone = await gateway.Http.GetAsync("v1/sessions/doomed");

        Assert.True((await Sse.JsonAsync(deleted)).GetProperty("deleted").GetBoolean());
        Assert.Equal(404, (int)again.StatusCode);
        Assert.Equal(404, (int)gone.StatusCode);
        Assert.False(File.Exists(transcript[0]));
        await Eventually.TrueAsync(() => !Directory.Exists($"/proc/{pid}"), "the CLI process ended");
        Assert.Equal(0, (await gateway.Get<ClaudeActors.Conversations.ConversationClient>().ProcessesAsync(default)).Warm);
    }

    [Fact]
    public async Task A_fork_has_the_same_history_and_goes_its_own_way()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        await SessionApi.SayAsync(gateway.Http, "trunk", "The secret is 7.");

        using var forked = await gateway.Http.PostAsync("v1/sessions/trunk/fork", SessionApi.Json("""{"session_id":"branch"}"""));
        using var conflict = await gateway.Http.PostAsync("v1/sessions/trunk/fork", SessionApi.Json("""{"session_id":"branch"}"""));
        using var missing = await gateway.Http.PostAsync("v1/sessions/nope/fork", null);
        await SessionApi.SayAsync(gateway.Http, "branch", "Branch question?");
        await SessionApi.SayAsync(gateway.Http, "trunk", "Trunk question?");

        Assert.Equal(201, (int)forked.StatusCode);
        var fork = await Sse.JsonAsync(forked);
        Assert.Equal("branch", fork.GetProperty("id").GetString());
        Assert.Equal("trunk", fork.GetProperty("forked_from").GetString());
        Assert.Equal(409, (int)conflict.StatusCode);
        Assert.Equal(404, (int)missing.StatusCode);
        var branchRequest = upstream.MessageRequests[^2];
        var trunkRequest = upstream.MessageRequests[^1];
        Assert.Equal(["The secret is 7.", "Branch question?"], branchRequest.UserTexts);
        Assert.Equal(["The secret is 7.", "Trunk question?"], trunkRequest.UserTexts);
        Assert.Equal(2, (await SessionApi.GetAsync(gateway.Http, "branch")).GetProperty("turns").GetInt32());
    }
}
