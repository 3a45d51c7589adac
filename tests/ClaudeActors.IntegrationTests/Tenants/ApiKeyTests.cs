using System.Net.Http.Headers;
using System.Text;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using Microsoft.Extensions.Options;

namespace ClaudeActors.IntegrationTests.Tenants;

/// <summary>API keys through the real CLI: who gets in, in which error shape the others are refused, reloads, start-up.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task Without_a_valid_key_every_v1_path_answers_401_in_its_surface_shape_and_health_stays_open()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));

        using var none = await SessionApi.PostAsync(gateway.Http, "s1", "hi");
        using var wrong = await SessionApi.PostAsync(KeyedGateway.Client(gateway, "sk-wrong"), "s1", "hi");
        using var list = await gateway.Http.GetAsync("v1/sessions");
        var messages = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        messages.Headers.Add("x-api-key", "sk-wrong");
        using var anthropic = await gateway.Http.SendAsync(messages);
        using var health = await gateway.Http.GetAsync("health");

        foreach (var refused in new[] { none, wrong, list })
        {
            Assert.Equal(401, (int)refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            var error = (await Sse.JsonAsync(refused)).GetProperty("error");
            Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
            Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        }

        Assert.Equal(401, (int)anthropic.StatusCode);
        var body = await Sse.JsonAsync(anthropic);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("authentication_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Empty(upstream.MessageRequests);
    }

    [Fact]
    public async Task A_valid_key_runs_turns_as_bearer_or_x_api_key_on_both_surfaces()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var viaHeader = new HttpClient { BaseAddress = gateway.BaseUrl };
        viaHeader.DefaultRequestHeaders.Add("x-api-key", KeyedGateway.BobKey);

        var answer = await SessionApi.SayAsync(alice, "a1", "hi");
        var other = await SessionApi.SayAsync(viaHeader, "b1", "hi");
        using var messages = await viaHeader.PostAsync(
            "v1/messages",
            new StringContent("""{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        using var cluster = await alice.GetAsync("v1/cluster");
        using var admin = KeyedGateway.Client(gateway, KeyedGateway.AdminKey);
        using var adminCluster = await admin.GetAsync("v1/cluster");

        Assert.Equal(FakeReply.DefaultText, answer);
        Assert.Equal(FakeReply.DefaultText, other);
        Assert.Equal(403, (int)cluster.StatusCode);
        Assert.Equal("admin_only", (await Sse.JsonAsync(cluster)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(200, (int)adminCluster.StatusCode);
        Assert.Equal(200, (int)messages.StatusCode);
        Assert.Equal("message", (await Sse.JsonAsync(messages)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Metrics_and_the_status_data_need_an_admin_key_and_the_status_page_itself_stays_open()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var admin = KeyedGateway.Client(gateway, KeyedGateway.AdminKey);

        foreach (var path in new[] { "metrics", "v1/status" })
        {
            using var none = await gateway.Http.GetAsync(path);
            using var tenant = await alice.GetAsync(path);
            using var allowed = await admin.GetAsync(path);

            Assert.Equal(401, (int)none.StatusCode);
            Assert.Equal("invalid_api_key", (await Sse.JsonAsync(none)).GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(403, (int)tenant.StatusCode);
            Assert.Equal("admin_only", (await Sse.JsonAsync(tenant)).GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(200, (int)allowed.StatusCode);
        }

        using var page = await gateway.Http.GetAsync("/");
        using var health = await gateway.Http.GetAsync("health/live");
        Assert.Equal(200, (int)page.StatusCode);

        // Only a tenant name a key could have: never the conversation ids' separator, nor anything odd.
        foreach (var bad in new[] { "alice|x", "", new string('a', 65), "a b", "../x" })
        {
            using var named = KeyedGateway.Client(gateway, KeyedGateway.AdminKey);
            named.DefaultRequestHeaders.TryAddWithoutValidation("X-Tenant", bad);
            using var refused = await named.GetAsync("v1/sessions");
            Assert.True(bad.Length == 0 ? refused.IsSuccessStatusCode : refused.StatusCode == System.Net.HttpStatusCode.BadRequest, $"X-Tenant '{bad}': {(int)refused.StatusCode}");
        }
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(200, (int)health.StatusCode);
    }

    [Fact]
    public async Task The_second_gateways_API_KEY_is_an_admin_key_of_the_default_tenant()
    {
        const string key = "sk-second-gateway-0123456789";
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var keyed = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            foreach (var (name, value) in LegacyEnvironment.Read(new System.Collections.Hashtable { ["API_KEY"] = key }))
            {
                s[name] = value;
            }
        });
        using var client = KeyedGateway.Client(keyed, key);

        using var none = await SessionApi.PostAsync(keyed.Http, "plain", "hi");
        var answer = await SessionApi.SayAsync(client, "plain", "hi");
        using var session = await client.GetAsync("v1/sessions/plain");
        using var cluster = await client.GetAsync("v1/cluster");
        using var metrics = await client.GetAsync("metrics");

        Assert.Equal(401, (int)none.StatusCode);
        Assert.Equal(FakeReply.DefaultText, answer);
        Assert.Equal(200, (int)session.StatusCode);
        Assert.Equal("plain", (await Sse.JsonAsync(session)).GetProperty("id").GetString());
        Assert.Equal(200, (int)cluster.StatusCode);
        Assert.Equal(200, (int)metrics.StatusCode);
        Assert.DoesNotContain(key, keyed.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_added_to_the_keys_file_works_once_the_file_is_replaced_and_a_removed_one_stops()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var folder = Directory.CreateTempSubdirectory("claude-actors-keys-").FullName;
        try
        {
            var file = Path.Combine(folder, "keys.json");
            await File.WriteAllTextAsync(file, KeysJson(("alice", KeyedGateway.AliceKey)));
            await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Auth:KeysFile"] = file);
            using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
            using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);
            Assert.Equal(200, await StatusAsync(alice));
            Assert.Equal(401, await StatusAsync(bob));

            // Editors and deploy tools replace a file by renaming a new one over it.
            var next = Path.Combine(folder, "keys.json.new");
            await File.WriteAllTextAsync(next, KeysJson(("bob", KeyedGateway.BobKey)));
            File.Move(next, file, overwrite: true);

            await Eventually.TrueAsync(async () => await StatusAsync(bob) == 200, "bob's key works after the reload");
            Assert.Equal(401, await StatusAsync(alice));

            // A broken file keeps the keys read last.
            await File.WriteAllTextAsync(file, "{ not json");
            await Eventually.TrueAsync(() => gateway.Logs.Text.Contains("the keys read before stay in force", StringComparison.Ordinal), "the broken file was logged");
            Assert.Equal(200, await StatusAsync(bob));

            // A file emptied of keys leaves a server that started with keys closed, never open to all.
            var empty = Path.Combine(folder, "keys.json.empty");
            await File.WriteAllTextAsync(empty, """{"keys": []}""");
            File.Move(empty, file, overwrite: true);
            await Eventually.TrueAsync(async () => await StatusAsync(bob) == 401, "bob's key stops with the emptied file");
            Assert.Equal(401, await StatusAsync(gateway.Http));
            using var metrics = await gateway.Http.GetAsync("metrics");
            Assert.Equal(401, (int)metrics.StatusCode);
        }
        finally
        {
            TestFolders.DeleteQuietly(folder);
        }
    }

    [Fact]
    public async Task Binding_beyond_loopback_without_keys_refuses_to_start_unless_allowed()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var root = Directory.CreateTempSubdirectory("claude-actors-test-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["urls"] = "http://0.0.0.0:0",
                ["ClaudeActors:DataDirectory"] = Path.Combine(root, "data"),
            };

            var refusal = Assert.Throws<OptionsValidationException>(() => ClaudeActorsApp.Build([], settings));
            Assert.Contains("No API key is configured", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("AllowUnauthenticated", refusal.Message, StringComparison.Ordinal);

            // Kestrel's endpoint settings win over urls, so they are held to the same rule.
            settings["urls"] = "http://127.0.0.1:0";
            settings["Kestrel:Endpoints:Public:Url"] = "http://0.0.0.0:0";
            var viaKestrel = Assert.Throws<OptionsValidationException>(() => ClaudeActorsApp.Build([], settings));
            Assert.Contains("No API key is configured", viaKestrel.Message, StringComparison.Ordinal);
            settings.Remove("Kestrel:Endpoints:Public:Url");
            settings["urls"] = "http://0.0.0.0:0";

            settings["ClaudeActors:Auth:AllowUnauthenticated"] = "true";
            await using var allowed = ClaudeActorsApp.Build([], settings);
            settings.Remove("ClaudeActors:Auth:AllowUnauthenticated");
            settings["ClaudeActors:Auth:ApiKey"] = "sk-the-second-gateways-single-key";
            await using var single = ClaudeActorsApp.Build([], settings);
            settings.Remove("ClaudeActors:Auth:ApiKey");
            KeyedGateway.Keys(settings);
            await using var keyed = ClaudeActorsApp.Build([], settings);
        }
        finally
        {
            TestFolders.DeleteQuietly(root);
        }
    }

    [Fact]
    public async Task An_open_server_says_at_start_that_it_has_no_keys()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);

        await Eventually.TrueAsync(() => gateway.Logs.Text.Contains("No API keys are configured", StringComparison.Ordinal), "the start-up warning");
        Assert.Equal(FakeReply.DefaultText, await SessionApi.SayAsync(gateway.Http, "open", "hi"));
    }

    private static string KeysJson(params (string Tenant, string Key)[] keys) =>
        "{\"keys\": [" + string.Join(",", keys.Select(k => $"{{\"tenant\": \"{k.Tenant}\", \"hash\": \"{KeyedGateway.Hash(k.Key)}\"}}")) + "]}";

    private static async Task<int> StatusAsync(HttpClient http)
    {
        using var response = await http.GetAsync("v1/models");
        return (int)response.StatusCode;
    }
}
