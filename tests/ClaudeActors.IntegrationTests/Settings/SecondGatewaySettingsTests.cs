using ClaudeActors.Cli;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Models;
using ClaudeActors.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClaudeActors.IntegrationTests.Settings;

/// <summary>The second seed gateway's environment names configure the server as its settings table says.</summary>
public sealed class SecondGatewaySettingsTests
{
    [Fact]
    public async Task The_second_gateways_environment_names_configure_the_server()
    {
        var workspace = Directory.CreateTempSubdirectory("claude-actors-wd-").FullName;
        var settings = Defaults(new System.Collections.Hashtable
        {
            ["MAX_CONCURRENT"] = "6",
            ["DEFAULT_MODEL"] = "haiku",
            ["FALLBACK_MODEL"] = "sonnet",
            ["MAX_BUDGET_USD"] = "0.5",
            ["WORKING_DIRECTORY"] = workspace,
            ["MODEL_MAP"] = """{"gpt-4":"haiku","house-model":"opus"}""",
        });

        await using var app = ClaudeActorsApp.Build([], settings);

        Assert.Equal(6, app.Services.GetRequiredService<IOptions<WorkerPoolOptions>>().Value.MaxConcurrency);
        var cli = app.Services.GetRequiredService<IOptions<CliOptions>>().Value;
        Assert.Equal("sonnet", cli.FallbackModel);
        Assert.Equal(0.5, cli.MaxBudgetUsd);
        Assert.Equal(workspace, cli.WorkingDirectory);
        var models = app.Services.GetRequiredService<ModelCatalog>();
        Assert.Equal("haiku", models.Resolve("default"));
        Assert.Equal("haiku", models.Resolve("gpt-4"));
        Assert.Equal("opus", models.Resolve("house-model"));

        // The map is merged with the defaults, not replaced.
        Assert.Equal("sonnet", models.Resolve("gpt-4o"));
    }

    [Fact]
    public async Task A_bad_budget_stops_start_up_naming_the_setting()
    {
        await using var app = ClaudeActorsApp.Build([], Defaults(new System.Collections.Hashtable { ["MAX_BUDGET_USD"] = "0" }));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("MaxBudgetUsd", ex.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Defaults(System.Collections.IDictionary environment)
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ClaudeActors:DataDirectory"] = Path.Combine(Path.GetTempPath(), "claude-actors-settings-" + Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in LegacyEnvironment.Read(environment))
        {
            settings[key] = value;
        }

        return settings;
    }
}
