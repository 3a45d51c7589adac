using ClaudeActors.IntegrationTests.Sessions;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.IntegrationTests.Telemetry;

/// <summary>
/// <c>GET /metrics</c> (Prometheus text) after real turns through the real CLI: the counters and histograms named in the
/// README move, with their labels, and the gauges read the server's state.
/// </summary>
[Collection(nameof(ProcessWideMetrics))]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_move_when_turns_run_and_carry_their_labels()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        EchoUpstream.Install(upstream);
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Workers:MaxConcurrency"] = "3");
        var before = await ScrapeAsync(gateway);

        Assert.Equal("echo: one", await SessionApi.SayAsync(gateway.Http, "metrics-a", "one"));
        Assert.Equal("echo: two", await SessionApi.SayAsync(gateway.Http, "metrics-a", "two"));
        using (var legacy = await gateway.Http.PostAsync("v1/completions", SessionApi.Json("""{"model":"default","prompt":"three"}""")))
        {
            Assert.True(legacy.IsSuccessStatusCode, await legacy.Content.ReadAsStringAsync());
        }

        using (var refused = await gateway.Http.GetAsync("v1/sessions/" + new string('x', 300)))
        {
            Assert.False(refused.IsSuccessStatusCode);
        }

        var after = await ScrapeAsync(gateway);

        // Two conversation turns: their durations and times to first token, with kind, model and outcome.
        Assert.True(
            Sum(after, "claude_actors_turn_duration_seconds_count", ("kind", "conversation"), ("outcome", "ok"))
            - Sum(before, "claude_actors_turn_duration_seconds_count", ("kind", "conversation"), ("outcome", "ok")) >= 2,
            Dump(after, "claude_actors_turn_duration"));
        Assert.Contains(after, s => s.Name == "claude_actors_turn_duration_seconds_bucket" && s.Labels.ContainsKey("le") && s.Labels.ContainsKey("model"));
        Assert.True(
            Sum(after, "claude_actors_turn_time_to_first_token_seconds_count", ("kind", "conversation"))
            - Sum(before, "claude_actors_turn_time_to_first_token_seconds_count", ("kind", "conversation")) >= 2,
            Dump(after, "claude_actors_turn_time_to_first_token"));

        // A legacy completion is always stateless; its worker resets its process with /clear once it has answered.
        Assert.True(
            Sum(after, "claude_actors_turn_duration_seconds_count", ("kind", "stateless"), ("outcome", "ok"))
            - Sum(before, "claude_actors_turn_duration_seconds_count", ("kind", "stateless"), ("outcome", "ok")) >= 1,
            Dump(after, "claude_actors_turn_duration"));
        await Eventually.TrueAsync(
            async () => Sum(await ScrapeAsync(gateway), "claude_actors_process_recycles_total") > Sum(before, "claude_actors_process_recycles_total"),
            "a process recycle is counted");

        // Requests by endpoint (the route pattern, never the raw path) and status: ours and ASP.NET Core's.
        Assert.True(
            Sum(after, "claude_actors_requests_total", ("endpoint", "/v1/chat/completions"), ("status", "200"))
            - Sum(before, "claude_actors_requests_total", ("endpoint", "/v1/chat/completions"), ("status", "200")) >= 2,
            Dump(after, "claude_actors_requests"));
        Assert.DoesNotContain(after, s => s.Name == "claude_actors_requests_total" && s.Labels["endpoint"].Contains("xxxx", StringComparison.Ordinal));
        Assert.Contains(after, s => s.Name == "http_server_request_duration_seconds_count" && s.Has(("http_route", "/v1/chat/completions"), ("http_response_status_code", "200")));

        // The conversation's entity runs, its events were written to the journal, a CLI process was started.
        Assert.True(Sum(after, "claude_actors_conversations_active") >= 1, Dump(after, "claude_actors_conversations"));
        Assert.True(
            Sum(after, "claude_actors_journal_write_duration_seconds_count", ("op", "persist"))
            - Sum(before, "claude_actors_journal_write_duration_seconds_count", ("op", "persist")) >= 2,
            Dump(after, "claude_actors_journal"));
        Assert.True(Sum(after, "claude_actors_process_starts_total") >= 1, Dump(after, "claude_actors_process"));

        // Gauges read the state: the workers' limit, an idle queue, processes by state, this node an up member.
        Assert.Equal(3, Sum(after, "claude_actors_workers_max"));
        Assert.Contains(after, s => s.Name == "claude_actors_queue_length");
        Assert.Contains(after, s => s.Name == "claude_actors_workers_busy");
        Assert.True(Sum(after, "claude_actors_processes", ("state", "warm")) >= 1, Dump(after, "claude_actors_processes"));
        Assert.Contains(after, s => s.Name == "claude_actors_processes" && s.Has(("state", "standby")));
        Assert.Contains(after, s => s.Name == "claude_actors_processes" && s.Has(("state", "starting")));
        Assert.True(Sum(after, "claude_actors_cluster_members", ("status", "up")) >= 1, Dump(after, "claude_actors_cluster"));
    }

    [Fact]
    public async Task Retries_and_upstream_errors_are_counted_by_kind()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        upstream.Enqueue(FakeReply.Overloaded());
        upstream.Enqueue(FakeReply.Text("fine after a retry"));
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl);
        var before = await ScrapeAsync(gateway);

        Assert.Equal("fine after a retry", await SessionApi.SayAsync(gateway.Http, "metrics-retry", "hello"));

        var after = await ScrapeAsync(gateway);
        Assert.True(
            Sum(after, "claude_actors_turn_retries_total", ("kind", "Overloaded")) - Sum(before, "claude_actors_turn_retries_total", ("kind", "Overloaded")) >= 1,
            Dump(after, "claude_actors_turn_retries"));
        Assert.True(
            Sum(after, "claude_actors_upstream_errors_total", ("kind", "Overloaded")) - Sum(before, "claude_actors_upstream_errors_total", ("kind", "Overloaded")) >= 1,
            Dump(after, "claude_actors_upstream_errors"));
    }

    internal static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(TestGateway gateway)
    {
        using var response = await gateway.Http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return PrometheusSample.Parse(text);
    }

    private static double Sum(IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && s.Has(labels)).Sum(s => s.Value);

    private static string Dump(IReadOnlyList<PrometheusSample> samples, string prefix) =>
        "scraped: " + string.Join('\n', samples.Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => $"{s.Name}{{{string.Join(',', s.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}"));
}
