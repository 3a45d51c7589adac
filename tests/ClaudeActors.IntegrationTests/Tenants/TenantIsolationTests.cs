using System.Text;
using System.Text.Json;
using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Tenants;

/// <summary>Each key's conversations are its own, through every surface, with the real CLI; an admin key sees them all.</summary>
public sealed class TenantIsolationTests
{
    [Fact]
    public async Task The_same_session_id_under_two_keys_is_two_conversations_that_neither_can_read_fork_or_delete()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);

        await SessionApi.SayAsync(alice, "shared-name", "alice one");
        await SessionApi.SayAsync(alice, "shared-name", "alice two");
        await SessionApi.SayAsync(alice, "alice-only", "private");
        await SessionApi.SayAsync(bob, "shared-name", "bob one");

        var aliceView = await SessionApi.GetAsync(alice, "shared-name");
        var bobView = await SessionApi.GetAsync(bob, "shared-name");
        Assert.Equal(2, aliceView.GetProperty("turns").GetInt32());
        Assert.Equal(1, bobView.GetProperty("turns").GetInt32());
        Assert.Equal("alice", aliceView.GetProperty("tenant").GetString());
        Assert.Equal("shared-name", bobView.GetProperty("id").GetString());
        Assert.NotEqual(aliceView.GetProperty("cli_session_id").GetString(), bobView.GetProperty("cli_session_id").GetString());
        Assert.DoesNotContain("alice one", bobView.GetRawText(), StringComparison.Ordinal);

        // Bob can neither read, fork, delete nor continue alice's other conversation: to him it does not exist.
        using var read = await bob.GetAsync("v1/sessions/alice-only");
        using var fork = await bob.PostAsync("v1/sessions/alice-only/fork", null);
        using var delete = await bob.DeleteAsync("v1/sessions/alice-only");
        Assert.Equal(404, (int)read.StatusCode);
        Assert.Equal(404, (int)fork.StatusCode);
        Assert.Equal(404, (int)delete.StatusCode);
        Assert.Equal(1, (await SessionApi.GetAsync(alice, "alice-only")).GetProperty("turns").GetInt32());

        // Lists: each tenant its own; the admin every tenant's, with the tenant named.
        Assert.Equal(["shared-name"], await IdsAsync(bob, "v1/sessions"));
        Assert.Equal(["alice-only", "shared-name"], (await IdsAsync(alice, "v1/sessions")).Order(StringComparer.Ordinal));
        using var admin = KeyedGateway.Client(gateway, KeyedGateway.AdminKey);
        var all = await Sse.JsonAsync(await admin.GetAsync("v1/sessions"));
        Assert.Equal(
            ["alice/alice-only", "alice/shared-name", "bob/shared-name"],
            all.GetProperty("data").EnumerateArray().Select(s => $"{s.GetProperty("tenant").GetString()}/{s.GetProperty("id").GetString()}").Order(StringComparer.Ordinal));

        // The admin reaches a tenant's conversation by naming the tenant.
        using var asAlice = KeyedGateway.Client(gateway, KeyedGateway.AdminKey, tenant: "alice");
        Assert.Equal(1, (await SessionApi.GetAsync(asAlice, "alice-only")).GetProperty("turns").GetInt32());
        using var notAdmin = KeyedGateway.Client(gateway, KeyedGateway.BobKey, tenant: "alice");
        using var refused = await notAdmin.GetAsync("v1/sessions/alice-only");
        Assert.Equal(403, (int)refused.StatusCode);

        // Alice's fork stays hers.
        using var forked = await alice.PostAsync("v1/sessions/alice-only/fork", SessionApi.Json("""{"session_id":"alice-fork"}"""));
        Assert.Equal(201, (int)forked.StatusCode);
        var forkBody = await Sse.JsonAsync(forked);
        Assert.Equal("alice-only", forkBody.GetProperty("forked_from").GetString());
        Assert.Equal("alice", forkBody.GetProperty("tenant").GetString());
        using var bobSeesFork = await bob.GetAsync("v1/sessions/alice-fork");
        Assert.Equal(404, (int)bobSeesFork.StatusCode);
    }

    [Fact]
    public async Task A_key_of_the_default_tenant_cannot_name_another_tenants_conversation_through_the_separator()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        const string DefaultKey = "sk-default-tenant-0123456789";
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            KeyedGateway.Keys(s);
            s["ClaudeActors:Auth:Keys:3:Tenant"] = "default";
            s["ClaudeActors:Auth:Keys:3:Hash"] = KeyedGateway.Hash(DefaultKey);
        });
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var plain = KeyedGateway.Client(gateway, DefaultKey);
        await SessionApi.SayAsync(alice, "secret", "alice's secret");

        // For the tenant "default" an entity id is the client's id alone: "alice" U+001F "secret" would be alice's.
        using var read = await plain.GetAsync("v1/sessions/alice%1Fsecret");
        using var fork = await plain.PostAsync("v1/sessions/alice%1Fsecret/fork", SessionApi.Json("""{"session_id":"stolen"}"""));
        using var delete = await plain.DeleteAsync("v1/sessions/alice%1Fsecret");
        using var chat = await SessionApi.PostAsync(plain, "alice\u001Fsecret", "tell me");

        Assert.Equal(404, (int)read.StatusCode);
        Assert.Equal(404, (int)fork.StatusCode);
        Assert.Equal(404, (int)delete.StatusCode);
        Assert.Equal(400, (int)chat.StatusCode);
        Assert.DoesNotContain("alice's secret", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (await SessionApi.GetAsync(alice, "secret")).GetProperty("turns").GetInt32());
        using var stolen = await plain.GetAsync("v1/sessions/stolen");
        Assert.Equal(404, (int)stolen.StatusCode);
    }

    [Fact]
    public async Task A_stateless_resend_of_another_tenants_history_starts_a_new_conversation_of_its_own()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);

        using var first = await SessionApi.ResendAsync(alice, ("user", "My secret is 42."));
        var aliceId = first.Headers.GetValues("X-Session-Id").Single();
        var answer = (await Sse.JsonAsync(first)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

        // Bob resends exactly alice's history: the index is asked within bob's tenant only.
        using var bobResend = await SessionApi.ResendAsync(bob, ("user", "My secret is 42."), ("assistant", answer), ("user", "What is my secret?"));
        Assert.Equal(200, (int)bobResend.StatusCode);
        var bobId = bobResend.Headers.GetValues("X-Session-Id").Single();

        // Alice's own resend continues her conversation.
        using var aliceResend = await SessionApi.ResendAsync(alice, ("user", "My secret is 42."), ("assistant", answer), ("user", "What is my secret?"));
        Assert.Equal(aliceId, aliceResend.Headers.GetValues("X-Session-Id").Single());
        Assert.Equal(2, (await SessionApi.GetAsync(alice, aliceId)).GetProperty("turns").GetInt32());

        using var bobReadsAlice = await bob.GetAsync("v1/sessions/" + aliceId);
        Assert.Equal(404, (int)bobReadsAlice.StatusCode);
        var bobView = await SessionApi.GetAsync(bob, bobId);
        Assert.Equal("bob", bobView.GetProperty("tenant").GetString());
        Assert.Equal(1, bobView.GetProperty("turns").GetInt32());
        Assert.Equal(1, (await SessionApi.GetAsync(alice, aliceId)).GetProperty("process").GetProperty("starts").GetInt32());
    }

    [Fact]
    public async Task Another_key_cannot_continue_read_or_delete_a_stored_response()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);

        using var created = await alice.PostAsync("v1/responses", SessionApi.Json("""{"model":"sonnet","input":"one"}"""));
        Assert.Equal(200, (int)created.StatusCode);
        var id = (await Sse.JsonAsync(created)).GetProperty("id").GetString()!;

        using var continued = await bob.PostAsync("v1/responses", SessionApi.Json($$"""{"model":"sonnet","input":"two","previous_response_id":"{{id}}"}"""));
        using var read = await bob.GetAsync("v1/responses/" + id);
        using var items = await bob.GetAsync($"v1/responses/{id}/input_items");
        using var deleted = await bob.DeleteAsync("v1/responses/" + id);
        using var stillThere = await alice.GetAsync("v1/responses/" + id);

        Assert.Equal(400, (int)continued.StatusCode);
        Assert.Equal("previous_response_not_found", (await Sse.JsonAsync(continued)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(404, (int)read.StatusCode);
        Assert.Equal(404, (int)items.StatusCode);
        Assert.Equal(404, (int)deleted.StatusCode);
        Assert.Equal(200, (int)stillThere.StatusCode);
        Assert.Single(upstream.MessageRequests);
    }

    [Fact]
    public async Task Anthropic_messages_with_a_session_id_keep_to_the_keys_tenant()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = new HttpClient { BaseAddress = gateway.BaseUrl };
        alice.DefaultRequestHeaders.Add("x-api-key", KeyedGateway.AliceKey);
        using var bob = new HttpClient { BaseAddress = gateway.BaseUrl };
        bob.DefaultRequestHeaders.Add("x-api-key", KeyedGateway.BobKey);

        foreach (var (client, text) in new[] { (alice, "alice here"), (bob, "bob here") })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
            {
                Content = new StringContent($$"""{"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Session-Id", "same");
            using var response = await client.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
        }

        var aliceView = await SessionApi.GetAsync(KeyedGateway.Client(gateway, KeyedGateway.AliceKey), "same");
        var bobView = await SessionApi.GetAsync(KeyedGateway.Client(gateway, KeyedGateway.BobKey), "same");
        Assert.Contains("alice here", aliceView.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("bob here", aliceView.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("bob here", bobView.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, aliceView.GetProperty("turns").GetInt32());
    }

    private static async Task<IEnumerable<string>> IdsAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await Sse.JsonAsync(response);
        return [.. body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }
}
