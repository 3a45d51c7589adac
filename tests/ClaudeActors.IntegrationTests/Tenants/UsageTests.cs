using System.Text.Json;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Tenants;

/// <summary><c>GET /v1/usage</c> from the persisted ledgers, and the daily budget that reads it, with the real CLI.</summary>
public sealed class UsageTests
{
    private static readonly FakeUsage TurnUsage = new(InputTokens: 1000, OutputTokens: 200, CacheReadInputTokens: 30, CacheCreationInputTokens: 7);

    [Fact]
    public async Task Usage_counts_each_keys_turns_tokens_and_own_cost_and_the_admin_sees_every_key()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("ok", usage: TurnUsage, model: "claude-sonnet-4-5");
        await using var gateways = RestartableGateway.Create(upstream.BaseUrl, TestDatabases.DefaultProvider, "claude-actors-usage-");
        {
            await using (var gateway = await gateways.StartAsync(s => KeyedGateway.Keys(s)))
            {
                using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
                using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);

                // Two turns on one warm process: the CLI reports a running total, the second turn must count only its own.
                await SessionApi.SayAsync(alice, "talk", "one", model: "sonnet");
                await SessionApi.SayAsync(alice, "talk", "two", model: "sonnet");
                await SessionApi.SayAsync(bob, "solo", "one", model: "sonnet");

                await Eventually.TrueAsync(async () => (await RowsAsync(alice)).Sum(r => r.GetProperty("requests").GetInt64()) == 2, "alice's two turns are recorded");
                await Eventually.TrueAsync(async () => (await RowsAsync(bob)).Sum(r => r.GetProperty("requests").GetInt64()) == 1, "bob's turn is recorded");
            }

            // After a restart the usage is still there: it is read from the journal.
            await using var restarted = await gateways.StartAsync(s => KeyedGateway.Keys(s));
            using var aliceAgain = KeyedGateway.Client(restarted, KeyedGateway.AliceKey);
            using var bobAgain = KeyedGateway.Client(restarted, KeyedGateway.BobKey);
            var aliceRow = Assert.Single(await RowsAsync(aliceAgain));
            var bobRow = Assert.Single(await RowsAsync(bobAgain));

            Assert.Equal("alice", aliceRow.GetProperty("tenant").GetString());
            var day = DateOnly.ParseExact(aliceRow.GetProperty("day").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(day.DayNumber, DateOnly.FromDateTime(DateTime.UtcNow).DayNumber - 1, DateOnly.FromDateTime(DateTime.UtcNow).DayNumber);
            Assert.Equal(2000, aliceRow.GetProperty("input_tokens").GetInt64());
            Assert.Equal(400, aliceRow.GetProperty("output_tokens").GetInt64());
            Assert.Equal(60, aliceRow.GetProperty("cached_tokens").GetInt64());
            Assert.Equal(14, aliceRow.GetProperty("cache_creation_tokens").GetInt64());
            var oneTurn = bobRow.GetProperty("cost_usd").GetDouble();
            Assert.True(oneTurn > 0, "the CLI reported a cost");
            Assert.Equal(2 * oneTurn, aliceRow.GetProperty("cost_usd").GetDouble(), 9);

            // The day's figures of each key within the tenant; a key without a name is named by the start of its hash.
            var aliceKey = Assert.Single(aliceRow.GetProperty("keys").EnumerateArray());
            Assert.Equal(KeyedGateway.Hash(KeyedGateway.AliceKey)[..19], aliceKey.GetProperty("key").GetString());
            Assert.Equal(2, aliceKey.GetProperty("requests").GetInt64());
            Assert.Equal(2000, aliceKey.GetProperty("input_tokens").GetInt64());
            Assert.Equal(2 * oneTurn, aliceKey.GetProperty("cost_usd").GetDouble(), 9);

            using var admin = KeyedGateway.Client(restarted, KeyedGateway.AdminKey);
            var all = await RowsAsync(admin);
            Assert.Equal(["alice", "bob"], all.Select(r => r.GetProperty("tenant").GetString()).Order(StringComparer.Ordinal));
            using var peek = await bobAgain.GetAsync("v1/usage?tenant=alice");
            Assert.Equal(403, (int)peek.StatusCode);
            using var bad = await bobAgain.GetAsync("v1/usage?from=yesterday");
            Assert.Equal(400, (int)bad.StatusCode);
            using var old = await aliceAgain.GetAsync("v1/usage?from=2020-01-01&to=2020-01-31");
            Assert.Empty((await Sse.JsonAsync(old)).GetProperty("data").EnumerateArray());
        }
    }

    [Fact]
    public async Task A_turn_sent_again_with_its_idempotency_key_is_counted_once()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("ok", usage: TurnUsage, model: "claude-sonnet-4-5");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);

        foreach (var stream in new[] { false, true })
        {
            using var resent = await SendKeyedAsync(alice, "idem-usage", "one", "usage-key-1", stream);
            Assert.Equal(200, (int)resent.StatusCode);
            await resent.Content.ReadAsStringAsync();
        }

        // A later turn's usage is recorded after the replays were answered: once it shows, a replay counted would too.
        await SessionApi.SayAsync(alice, "idem-usage", "two", model: "sonnet");
        await Eventually.TrueAsync(async () => (await RowsAsync(alice)).Sum(r => r.GetProperty("requests").GetInt64()) >= 2, "the second turn is recorded");

        var row = Assert.Single(await RowsAsync(alice));
        Assert.Equal(2, row.GetProperty("requests").GetInt64());
        Assert.Equal(2000, row.GetProperty("input_tokens").GetInt64());
        Assert.Equal(2, upstream.MessageRequests.Count);
    }

    [Fact]
    public async Task A_turn_whose_client_left_is_counted_where_it_ran()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Responder = request => request.LastUserText == "tell a long story"
            ? FakeReply.Hang("Once upon a time", chunkCount: 1)
            : FakeReply.Text("ok", usage: TurnUsage, model: "claude-sonnet-4-5");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        await SessionApi.SayAsync(alice, "story", "hello");

        await ClientInterrupt.LeaveMidStreamAsync(
            upstream,
            2,
            token => Sse.PostAsync(alice, """{"session_id":"story","stream":true,"messages":[{"role":"user","content":"tell a long story"}]}""", HttpCompletionOption.ResponseHeadersRead, token));

        // The client never read the end; the conversation recorded the interrupted turn, and its usage with it.
        await Eventually.TrueAsync(async () => (await RowsAsync(alice)).Sum(r => r.GetProperty("requests").GetInt64()) == 2, "both turns are counted");
        Assert.True(Assert.Single(await RowsAsync(alice)).GetProperty("input_tokens").GetInt64() >= TurnUsage.InputTokens);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_turn_stopped_by_its_spending_cap_still_counts_what_it_spent(bool conversation)
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("An expensive answer.", usage: new FakeUsage(10, 2_000_000));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            KeyedGateway.Keys(s);
            s["ClaudeActors:Sessions:AutoSessions"] = "false";
        });
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        var session = conversation ? "\"session_id\":\"capped\"," : "";

        using var capped = await Sse.PostAsync(alice, "{" + session + "\"model\":\"sonnet\",\"max_budget_usd\":0.0001,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        Assert.Equal(429, (int)capped.StatusCode);

        // Not a turn answered, but the upstream call ran, and a daily budget must see what it cost (the CLI's result of a
        // capped turn reports its cost, not its tokens).
        await Eventually.TrueAsync(async () => (await RowsAsync(alice)).Sum(r => r.GetProperty("cost_usd").GetDouble()) > 1, "the capped turn's cost is counted");
        var row = Assert.Single(await RowsAsync(alice));
        Assert.Equal(0, row.GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task A_key_past_its_daily_budget_gets_429_until_midnight_and_other_keys_go_on_also_in_its_tenant()
    {
        const string AliceWebKey = "sk-alice-web-0123456789abcdef";
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.DefaultReply = FakeReply.Text("ok", usage: TurnUsage, model: "claude-sonnet-4-5");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            KeyedGateway.Keys(s, ("DailyBudgetUsd", "0.000001"), ("Name", "ci"));
            s["ClaudeActors:Auth:Keys:3:Tenant"] = "alice";
            s["ClaudeActors:Auth:Keys:3:Hash"] = KeyedGateway.Hash(AliceWebKey);
            s["ClaudeActors:Auth:Keys:3:Name"] = "web";
        });
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var aliceWeb = KeyedGateway.Client(gateway, AliceWebKey);
        using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);

        // The budget is the key's, not the tenant's: what another key of alice spent does not count against it.
        Assert.Equal("ok", await SessionApi.SayAsync(aliceWeb, "spend", "one", model: "sonnet"));
        await Eventually.TrueAsync(async () => (await RowsAsync(alice)).Sum(r => r.GetProperty("cost_usd").GetDouble()) > 0.000001, "the web key's spend is recorded");
        Assert.Equal("ok", await SessionApi.SayAsync(alice, "spend", "two", model: "sonnet"));
        await Eventually.TrueAsync(async () => (await RowsAsync(alice)).Sum(r => r.GetProperty("requests").GetInt64()) == 2, "the ci key's spend is recorded");
        var before = upstream.MessageRequests.Count;
        using var refused = await SessionApi.PostAsync(alice, "spend", "three", model: "sonnet");

        Assert.Equal(429, (int)refused.StatusCode);
        var wait = refused.Headers.RetryAfter?.Delta;
        Assert.True(wait > TimeSpan.Zero && wait <= TimeSpan.FromDays(1), $"Retry-After {wait}");
        var error = (await Sse.JsonAsync(refused)).GetProperty("error");
        Assert.Equal("insufficient_quota", error.GetProperty("type").GetString());
        Assert.Equal("daily_budget_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(before, upstream.MessageRequests.Count);
        Assert.Equal("ok", await SessionApi.SayAsync(bob, "free", "one", model: "sonnet"));
        Assert.Equal("ok", await SessionApi.SayAsync(aliceWeb, "spend", "three", model: "sonnet"));

        await Eventually.TrueAsync(async () => (await RowsAsync(alice)).Sum(r => r.GetProperty("requests").GetInt64()) == 3, "alice's three turns are recorded");
        using var admin = KeyedGateway.Client(gateway, KeyedGateway.AdminKey);
        var keys = Assert.Single(await RowsAsync(admin, "?tenant=alice")).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["ci", "web"], keys.Select(k => k.GetProperty("key").GetString()));
        Assert.Equal([1L, 2L], keys.Select(k => k.GetProperty("requests").GetInt64()));

        // Another key of the tenant sees the tenant's figures, and of the keys only its own.
        var own = Assert.Single(Assert.Single(await RowsAsync(aliceWeb)).GetProperty("keys").EnumerateArray());
        Assert.Equal(("web", 2L), (own.GetProperty("key").GetString(), own.GetProperty("requests").GetInt64()));
    }

    private static Task<HttpResponseMessage> SendKeyedAsync(HttpClient http, string sessionId, string text, string key, bool stream)
    {
        var body = JsonSerializer.Serialize(new { model = "sonnet", session_id = sessionId, stream, messages = new[] { new { role = "user", content = text } } });
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = SessionApi.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return http.SendAsync(request);
    }

    private static async Task<List<JsonElement>> RowsAsync(HttpClient http, string query = "")
    {
        using var response = await http.GetAsync("v1/usage" + query);
        var body = await Sse.JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return [.. body.GetProperty("data").EnumerateArray()];
    }
}
