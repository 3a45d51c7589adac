using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Tenants;

/// <summary>Per-key limits answer 429 with Retry-After in the OpenAI shape, for that key only.</summary>
public sealed class TenantLimitTests
{
    private const string Hi = """{"model":"sonnet","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task A_key_over_its_requests_per_minute_gets_429_and_other_keys_go_on()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s, ("RequestsPerMinute", "2")));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);

        using var one = await alice.GetAsync("v1/models");
        using var two = await Sse.PostAsync(alice, Hi);
        using var three = await alice.GetAsync("v1/models");
        using var other = await bob.GetAsync("v1/models");

        Assert.Equal(200, (int)one.StatusCode);
        Assert.Equal(200, (int)two.StatusCode);
        Assert.Equal(429, (int)three.StatusCode);
        // Until the first request leaves the minute: under a minute, however slow this machine is.
        Assert.InRange(three.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var error = (await Sse.JsonAsync(three)).GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(200, (int)other.StatusCode);
    }

    [Fact]
    public async Task A_key_at_its_concurrent_turns_gets_429_until_a_turn_ends_and_leaves_nothing_behind()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var gate = new FakeGate();
        upstream.Enqueue(FakeReply.Gated("held", " done", gate));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => KeyedGateway.Keys(s, ("MaxConcurrentTurns", "1")));
        using var alice = KeyedGateway.Client(gateway, KeyedGateway.AliceKey);
        using var bob = KeyedGateway.Client(gateway, KeyedGateway.BobKey);

        var first = SessionApi.PostAsync(alice, "held", "hi");
        await gate.WaitUntilReachedAsync(Sse.Generous);
        using var refused = await SessionApi.PostAsync(alice, "second", "hi");
        using var bobMeanwhile = await SessionApi.PostAsync(bob, "bobs", "hi");

        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        var error = (await Sse.JsonAsync(refused)).GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("concurrency_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal(200, (int)bobMeanwhile.StatusCode);
        using (var missing = await alice.GetAsync("v1/sessions/second"))
        {
            Assert.Equal(404, (int)missing.StatusCode);
        }

        gate.Release();
        using var firstResponse = await first;
        Assert.Equal(200, (int)firstResponse.StatusCode);
        Assert.Equal(FakeReply.DefaultText, await SessionApi.SayAsync(alice, "second", "hi"));
    }
}
