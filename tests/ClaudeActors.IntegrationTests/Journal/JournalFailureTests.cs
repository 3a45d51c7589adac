using System.Text.Json;
using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Journal;

/// <summary>
/// A failed write is never a success: a turn the journal cannot store ends in a 503 <c>journal_unavailable</c> (an
/// error event when it streams), the conversation stays as it was (its record and its turns agree, in memory, in the
/// journal and after a restart), the CLI process forgets the turn, and readiness reports the journal until it works.
/// </summary>
public sealed class JournalFailureTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_turn_the_journal_cannot_store_is_an_error_and_the_conversation_stays_as_it_was(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-unstored-", sqliteFolder: "journal");
        var fault = BrokenJournal.For(gateways.Database);

        await using (var gateway = await gateways.StartAsync())
        {
            await SessionApi.SayAsync(gateway.Http, "warm", "first");
            await fault.BreakAsync();

            using var plain = await SessionApi.PostAsync(gateway.Http, "warm", "second");
            var error = (await Sse.JsonAsync(plain)).GetProperty("error");
            Assert.Equal(503, (int)plain.StatusCode);
            Assert.Equal("journal_unavailable", error.GetProperty("code").GetString());
            Assert.Contains("not stored", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(gateways.Root, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            await SessionApi.AssertTurnsAsync(gateway.Http, "warm", 1);

            var streamed = await SessionApi.StreamAsync(gateway.Http, "warm", "third");
            Assert.Equal("journal_unavailable", Sse.Json(streamed[^1]).GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("echo: third", string.Concat(streamed.SkipLast(1).Select(Content)));
            Assert.DoesNotContain("[DONE]", streamed);
            Assert.All(streamed.SkipLast(1), data => Assert.Equal(JsonValueKind.Null, FinishReason(data)));
            await SessionApi.AssertTurnsAsync(gateway.Http, "warm", 1);

            using (var fork = await gateway.Http.PostAsync("v1/sessions/warm/fork", SessionApi.Json("""{"session_id":"warm-fork"}""")))
            {
                Assert.Equal(503, (int)fork.StatusCode);
                Assert.Equal("journal_unavailable", (await Sse.JsonAsync(fork)).GetProperty("error").GetProperty("code").GetString());
            }

            await fault.RepairAsync();
            Assert.Equal("echo: fourth", await SessionApi.SayAsync(gateway.Http, "warm", "fourth"));
            Assert.Equal(["first", "fourth"], upstream.MessageRequests[^1].UserTexts);
            await SessionApi.AssertTurnsAsync(gateway.Http, "warm", 2);
        }

        await using var restarted = await gateways.StartAsync();
        await SessionApi.AssertTurnsAsync(restarted.Http, "warm", 2);
        using (var fork = await restarted.Http.GetAsync("v1/sessions/warm-fork"))
        {
            Assert.Equal(404, (int)fork.StatusCode);
        }

        Assert.Equal("echo: fifth", await SessionApi.SayAsync(restarted.Http, "warm", "fifth"));
        Assert.Equal(["first", "fourth", "fifth"], upstream.MessageRequests[^1].UserTexts);
        await SessionApi.AssertTurnsAsync(restarted.Http, "warm", 3);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_new_conversation_the_journal_cannot_create_is_an_error_that_leaves_nothing_behind(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-uncreated-", sqliteFolder: "journal");
        var fault = BrokenJournal.For(gateways.Database);

        await using (var gateway = await gateways.StartAsync())
        {
            await HealthApi.ProbeCliAsync(gateway);
            await fault.BreakAsync();

            using var response = await SessionApi.PostAsync(gateway.Http, "fresh", "hello");
            var error = (await Sse.JsonAsync(response)).GetProperty("error");
            Assert.Equal(503, (int)response.StatusCode);
            Assert.Equal("journal_unavailable", error.GetProperty("code").GetString());
            Assert.Contains("not run", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Empty(upstream.MessageRequests);
            using (var missing = await gateway.Http.GetAsync("v1/sessions/fresh"))
            {
                Assert.Equal(404, (int)missing.StatusCode);
            }

            await fault.RepairAsync();
            Assert.Equal(200, (await HealthApi.ReadyAsync(gateway)).Status);
        }

        await using var restarted = await gateways.StartAsync();
        using (var missing = await restarted.Http.GetAsync("v1/sessions/fresh"))
        {
            Assert.Equal(404, (int)missing.StatusCode);
        }

        Assert.Equal("echo: hello again", await SessionApi.SayAsync(restarted.Http, "fresh", "hello again"));
        Assert.Equal(["hello again"], upstream.MessageRequests[^1].UserTexts);
        await SessionApi.AssertTurnsAsync(restarted.Http, "fresh", 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Readiness_is_503_with_the_cause_while_the_journal_fails_and_200_once_it_works(JournalProvider provider)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, provider, "claude-actors-ready-", sqliteFolder: "journal");
        var fault = BrokenJournal.For(gateways.Database);
        await using var gateway = await gateways.StartAsync();
        await HealthApi.ProbeCliAsync(gateway);
        Assert.Equal(200, (await HealthApi.ReadyAsync(gateway)).Status);
        Assert.Equal(200, await HealthApi.LiveAsync(gateway));

        await fault.BreakAsync();

        var (status, body) = await HealthApi.ReadyAsync(gateway);
        var journal = body.GetProperty("journal");
        Assert.Equal(503, status);
        Assert.False(body.GetProperty("ready").GetBoolean());
        Assert.False(journal.GetProperty("ok").GetBoolean());
        Assert.True(body.GetProperty("cli").GetProperty("found").GetBoolean());
        Assert.True(body.GetProperty("cluster").GetProperty("ok").GetBoolean());
        Assert.Equal(200, await HealthApi.LiveAsync(gateway));
        Assert.False(string.IsNullOrWhiteSpace(journal.GetProperty("error").GetString()));
        Assert.DoesNotContain(gateways.Root, body.GetRawText(), StringComparison.Ordinal);
        using (var live = await gateway.Http.GetAsync("health"))
        {
            Assert.Equal(200, (int)live.StatusCode);
            Assert.False((await Sse.JsonAsync(live)).GetProperty("journal").GetProperty("ok").GetBoolean());
        }

        // The log names the real cause: the database's own message.
        Assert.Contains(BrokenJournal.Message, gateway.Logs.Text, StringComparison.Ordinal);

        await fault.RepairAsync();

        (status, body) = await HealthApi.ReadyAsync(gateway);
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("journal").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_full_SQLite_journal_refuses_the_turn_cleanly_and_the_log_names_the_real_cause()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, JournalProvider.Sqlite, "claude-actors-full-");
        static void OneMegabyte(IDictionary<string, string?> settings) => settings["ClaudeActors:Journal:MaxSizeMegabytes"] = "1";

        await using (var gateway = await gateways.StartAsync(OneMegabyte))
        {
            await SessionApi.SayAsync(gateway.Http, "full", "small");

            // The turn's request, the user's entry and the echoed answer come to more than the megabyte left.
            using var response = await SessionApi.PostAsync(gateway.Http, "full", new string('x', 400_000));
            var error = (await Sse.JsonAsync(response)).GetProperty("error");
            Assert.Equal(503, (int)response.StatusCode);
            Assert.Equal("journal_unavailable", error.GetProperty("code").GetString());
            Assert.Contains("database or disk is full", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("database or disk is full", gateway.Logs.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot rollback", gateway.Logs.Text, StringComparison.Ordinal);
            await SessionApi.AssertTurnsAsync(gateway.Http, "full", 1);

            Assert.Equal("echo: after", await SessionApi.SayAsync(gateway.Http, "full", "after"));
            Assert.Equal(["small", "after"], upstream.MessageRequests[^1].UserTexts);
            await SessionApi.AssertTurnsAsync(gateway.Http, "full", 2);
        }

        await using var restarted = await gateways.StartAsync(OneMegabyte);
        await SessionApi.AssertTurnsAsync(restarted.Http, "full", 2);
    }

    private static string Content(string data)
    {
        var choices = Sse.Json(data).GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content)
            ? content.GetString() ?? ""
            : "";
    }

    private static JsonValueKind FinishReason(string data)
    {
        var choices = Sse.Json(data).GetProperty("choices");
        return choices.GetArrayLength() == 0 ? JsonValueKind.Null : choices[0].GetProperty("finish_reason").ValueKind;
    }
}
