using ClaudeActors.Server.Hosting;
using ClaudeActors.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClaudeActors.IntegrationTests.Settings;

/// <summary>Settings are validated at start-up, and the first gateway's environment names still work.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("ClaudeActors:Workers:MaxConcurrency", "0")]
    [InlineData("ClaudeActors:Workers:TimeoutSeconds", "-1")]
    [InlineData("ClaudeActors:Retry:MaxRetries", "-3")]
    [InlineData("ClaudeActors:Retry:MaxRetrySeconds", "-1")]
    [InlineData("ClaudeActors:Cli:SettingSources", "everything")]
    [InlineData("ClaudeActors:Cli:PermissionMode", "yolo")]
    public async Task A_bad_value_stops_start_up_with_a_message_naming_the_setting(string key, string value)
    {
        var settings = Defaults();
        settings[key] = value;
        await using var app = ClaudeActorsApp.Build([], settings);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_port_stops_start_up_with_a_message_naming_the_setting()
    {
        var settings = Defaults();
        settings.Remove("urls");
        settings["ClaudeActors:Server:Port"] = "70000";

        var ex = Assert.Throws<OptionsValidationException>(() => ClaudeActorsApp.Build([], settings));

        Assert.Contains("ClaudeActors:Server:Port", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ClaudeActors:Server:AllowedHosts", "localhost;https://api.example.com")]
    [InlineData("ClaudeActors:Server:AllowedOrigins", "chat.example.com")]
    public void A_bad_allowed_host_or_origin_stops_start_up_with_a_message_naming_the_setting_and_the_entry(string key, string value)
    {
        var settings = Defaults();
        settings[key] = value;

        var ex = Assert.Throws<OptionsValidationException>(() => ClaudeActorsApp.Build([], settings));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains(value.Split(';')[^1], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_gateways_environment_names_configure_the_server()
    {
        var environment = new System.Collections.Hashtable
        {
            ["CLAUDE_MAX_CONCURRENCY"] = "7",
            ["CLAUDE_TIMEOUT"] = "42",
            ["CLAUDE_MAX_RETRIES"] = "1",
            ["CLAUDE_BASE_BACKOFF"] = "0.5",
            ["CLAUDE_BIN"] = "/opt/claude/bin/claude",
        };
        var settings = Defaults();
        foreach (var (key, value) in LegacyEnvironment.Read(environment))
        {
            settings[key] = value;
        }

        await using var app = ClaudeActorsApp.Build([], settings);

        var pool = app.Services.GetRequiredService<IOptions<WorkerPoolOptions>>().Value;
        Assert.Equal(7, pool.MaxConcurrency);
        Assert.Equal(42, pool.TimeoutSeconds);
        Assert.Equal(1, app.Services.GetRequiredService<IOptions<ClaudeActors.Supervision.RetryOptions>>().Value.MaxRetries);
        Assert.Equal("/opt/claude/bin/claude", app.Services.GetRequiredService<IOptions<ClaudeActors.Cli.CliOptions>>().Value.BinaryPath);
    }

    private static Dictionary<string, string?> Defaults() => new()
    {
        ["urls"] = "http://127.0.0.1:0",
        ["ClaudeActors:DataDirectory"] = Path.Combine(Path.GetTempPath(), "claude-actors-settings-" + Guid.NewGuid().ToString("N")),
    };
}
