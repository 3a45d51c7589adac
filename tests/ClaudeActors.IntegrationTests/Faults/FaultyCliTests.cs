using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Workers;

namespace ClaudeActors.IntegrationTests.Faults;

/// <summary>Fault handling with a stand-in CLI: a crash, a hang, garbage on stdout, a missing binary.</summary>
public sealed class FaultyCliTests
{
    private const string Hi = """{"messages":[{"role":"user","content":"hi"}]}""";

    // The standby set would start the stand-in CLI too (and count against its starts): these tests are about turns.
    private const string NoStandby = "0";

    [Fact]
    public async Task A_crashing_CLI_is_retried_and_then_reported_as_502_with_its_stderr()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        using var cli = FakeCliScript.Create("echo 'segmentation fault in widget' >&2; exit 3");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:BinaryPath"] = cli.Path;
            s["ClaudeActors:Processes:Standby"] = NoStandby;
            s["ClaudeActors:Retry:MaxRetries"] = "2";
        });

        using var response = await Sse.PostAsync(gateway.Http, Hi);

        Assert.Equal(502, (int)response.StatusCode);
        var message = (await Sse.JsonAsync(response)).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("exited with code 3", message, StringComparison.Ordinal);
        Assert.Contains("segmentation fault in widget", message, StringComparison.Ordinal);
        Assert.Equal(3, cli.Starts);
    }

    [Fact]
    public async Task A_crash_followed_by_a_good_run_gives_the_client_the_good_answer()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var marker = Path.Combine(Path.GetTempPath(), "claude-actors-crash-once-" + Guid.NewGuid().ToString("N"));
        using var cli = FakeCliScript.Create(
            $"if [ ! -e {marker} ]; then touch {marker}; exit 1; fi; while IFS= read -r line; do echo '{FakeCliScript.InitLine}'; echo '{FakeCliScript.SuccessResult("recovered")}'; done");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:BinaryPath"] = cli.Path;
            s["ClaudeActors:Processes:Standby"] = NoStandby;
        });

        using var response = await Sse.PostAsync(gateway.Http, Hi);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("recovered", (await Sse.JsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(2, cli.Starts);
        File.Delete(marker);
    }

    [Fact]
    public async Task A_hanging_CLI_is_killed_at_the_time_out()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        var pidFile = Path.Combine(Path.GetTempPath(), "claude-actors-hang-" + Guid.NewGuid().ToString("N"));
        using var cli = FakeCliScript.Create($"echo $$ > {pidFile}; echo '{FakeCliScript.InitLine}'; sleep 600");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:BinaryPath"] = cli.Path;
            s["ClaudeActors:Processes:Standby"] = NoStandby;
            s["ClaudeActors:Workers:TimeoutSeconds"] = "1";
            s["ClaudeActors:Retry:MaxRetries"] = "0";
        });

        using var response = await Sse.PostAsync(gateway.Http, Hi);

        Assert.Equal(504, (int)response.StatusCode);
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.TrueAsync(() => !Directory.Exists($"/proc/{pid}"), "the hung CLI process is gone");
        Assert.Equal(0, gateway.Get<WorkerPool>().Active);
        File.Delete(pidFile);
    }

    [Fact]
    public async Task Garbage_lines_on_stdout_are_skipped()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        using var cli = FakeCliScript.Create(
            "while IFS= read -r line; do echo 'Warning: something odd'; echo '{not json'; echo '[1,2,3]'; echo '{\"type\":\"brand_new_type\"}'; "
            + $"echo '{FakeCliScript.InitLine}'; echo '{FakeCliScript.SuccessResult("fine anyway")}'; done");
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s =>
        {
            s["ClaudeActors:Cli:BinaryPath"] = cli.Path;
            s["ClaudeActors:Processes:Standby"] = NoStandby;
        });

        using var response = await Sse.PostAsync(gateway.Http, Hi);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("fine anyway", (await Sse.JsonAsync(response)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_missing_CLI_binary_is_a_503_that_says_so_and_leaves_its_path_to_the_log()
    {
        await using var upstream = await FakeAnthropicServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream.BaseUrl, s => s["ClaudeActors:Cli:BinaryPath"] = "/nonexistent/claude");

        using var response = await Sse.PostAsync(gateway.Http, Hi);

        var error = (await Sse.JsonAsync(response)).GetProperty("error");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("cli_unavailable", error.GetProperty("code").GetString());
        Assert.Contains("Claude CLI could not be started", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/nonexistent", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("/nonexistent/claude", gateway.Logs.Text, StringComparison.Ordinal);
    }
}
