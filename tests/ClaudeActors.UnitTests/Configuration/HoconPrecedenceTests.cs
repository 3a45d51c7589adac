using System.Collections;
using ClaudeActors.Configuration;
using ClaudeActors.Hosting;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Server.OpenAi.Models;
using ClaudeActors.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClaudeActors.UnitTests.Configuration;

/// <summary>
/// HOCON is the lowest source: the operator's file beats ours, and appsettings/environment, the first gateway's names,
/// the command line and overrides beat both. The process's real environment is never read: the sources
/// <c>WebApplication.CreateBuilder</c> adds (appsettings.json, <c>ClaudeActors__...</c> variables) are stood in for by
/// an in-memory source added first, as the builder does.
/// </summary>
public sealed class HoconPrecedenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("claude-actors-hocon-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void OursAlone_GivesTheDefaults()
    {
        var (configuration, _) = Configure();

        Assert.Equal(4, Workers(configuration).MaxConcurrency);
        Assert.Equal("sonnet", Models(configuration).Map["gpt-4.1"]);
        Assert.Equal("Information", configuration[ClaudeActorsLogging.LevelKey]);
    }

    [Fact]
    public void OperatorFile_BeatsOurs_AndKeepsWhatItDoesNotSet()
    {
        var file = OperatorFile("""claude-actors.workers { max-concurrency = 7 }""");

        var (configuration, hocon) = Configure(overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = file });

        Assert.Equal(7, Workers(configuration).MaxConcurrency);
        Assert.Equal(64, Workers(configuration).MaxQueueLength);
        Assert.Equal([ClaudeActorsHocon.DefaultsFile(_folder), file], hocon.Files);
    }

    [Fact]
    public void OperatorFile_IsNamedByTheEnvironmentVariable_OrTheHoconSwitch()
    {
        var fromEnvironment = OperatorFile("claude-actors.workers.max-concurrency = 5");
        var fromSwitch = OperatorFile("claude-actors.workers.max-concurrency = 6");

        var (byEnvironment, _) = Configure(environment: new Hashtable { [HoconFileSetting.EnvironmentName] = fromEnvironment });
        var (bySwitch, _) = Configure(args: ["--hocon", fromSwitch], environment: new Hashtable { [HoconFileSetting.EnvironmentName] = fromEnvironment });

        Assert.Equal(5, Workers(byEnvironment).MaxConcurrency);
        Assert.Equal(6, Workers(bySwitch).MaxConcurrency);
    }

    [Fact]
    public void EnvironmentAndAppSettings_BeatBothFiles()
    {
        var file = OperatorFile("claude-actors.workers.max-concurrency = 7");

        var (configuration, _) = Configure(
            builderSources: new() { ["ClaudeActors:Workers:MaxConcurrency"] = "9" },
            overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = file });

        Assert.Equal(9, Workers(configuration).MaxConcurrency);
    }

    [Fact]
    public void FirstGatewayNames_BeatHocon_AndTheCommandLineBeatsThem()
    {
        var file = OperatorFile("claude-actors.workers { max-concurrency = 7, timeout-seconds = 70 }");
        var environment = new Hashtable { ["CLAUDE_MAX_CONCURRENCY"] = "11", ["CLAUDE_TIMEOUT"] = "110", [HoconFileSetting.EnvironmentName] = file };

        var (configuration, _) = Configure(args: ["--ClaudeActors:Workers:MaxConcurrency=12"], environment: environment);

        Assert.Equal(12, Workers(configuration).MaxConcurrency);
        Assert.Equal(110, Workers(configuration).TimeoutSeconds);
    }

    [Fact]
    public void AllowList_FromAnotherSource_ReplacesTheHoconList()
    {
        var file = OperatorFile("""claude-actors.server.allowed-hosts = ["a.example", "b.example"]""");

        var (fromHocon, _) = Configure(overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = file });
        var (fromEnvironment, _) = Configure(
            builderSources: new() { ["ClaudeActors:Server:AllowedHosts"] = "c.example" },
            overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = file });

        Assert.Equal(["a.example", "b.example"], Server(fromHocon).AllowedHosts!);
        Assert.Equal(["c.example"], Server(fromEnvironment).AllowedHosts!);
        Assert.Null(Server(Configure().Configuration).AllowedHosts);
    }

    [Fact]
    public void OperatorFile_AddsToTheModelMap_WithNamesAsWritten_AndFillsLists()
    {
        var file = OperatorFile("""
            claude-actors.models {
              map { "my-model.v2" = opus }
              extra-models = ["claude-sonnet-4-6", "claude-opus-4-1"]
            }
            """);

        var models = Models(Configure(overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = file }).Configuration);

        Assert.Equal("opus", models.Map["my-model.v2"]);
        Assert.Equal("haiku", models.Map["gpt-4o-mini"]);
        Assert.Equal(["claude-sonnet-4-6", "claude-opus-4-1"], models.ExtraModels);
    }

    [Fact]
    public void MissingOrNullKey_KeepsTheClassDefault()
    {
        var hocon = ClaudeActorsHocon.FromText("""
            claude-actors {
              data-directory = null
              workers.max-concurrency = 2
            }
            """);
        var configuration = new ConfigurationBuilder().Add(new HoconConfigurationSource(hocon)).Build();

        Assert.Equal(2, Workers(configuration).MaxConcurrency);
        Assert.Equal(new WorkerPoolOptions().MaxQueueLength, Workers(configuration).MaxQueueLength);
        Assert.Equal(new ClaudeActorsOptions().DataDirectory, (configuration.GetSection(ClaudeActorsOptions.SectionName).Get<ClaudeActorsOptions>() ?? new()).DataDirectory);
    }

    [Fact]
    public void AkkaBlock_HasTheOperatorsKeysOverOurs_AndNothingElse()
    {
        var file = OperatorFile("akka.loglevel = DEBUG");

        var (_, hocon) = Configure(overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = file });

        Assert.Equal("DEBUG", hocon.Akka.GetString("akka.loglevel"));
        Assert.Equal(Akka.Event.LogLevel.DebugLevel, hocon.AkkaLogLevel);
        Assert.False(hocon.Akka.HasPath("akka.remote.dot-netty.tcp.port"), "the node's address comes from claude-actors.cluster");
        Assert.Equal("cluster", hocon.Akka.GetString("akka.actor.provider"));
        Assert.False(hocon.Akka.HasPath("claude-actors"));
        Assert.Equal(Akka.Event.LogLevel.InfoLevel, HoconFiles.Shipped().AkkaLogLevel);
    }

    [Fact]
    public void MissingOperatorFile_FailsNamingIt()
    {
        var missing = Path.Combine(_folder, "nope.conf");

        var ex = Assert.Throws<InvalidOperationException>(() => Configure(overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = missing }));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOperatorFile_FailsNamingIt()
    {
        var file = OperatorFile("claude-actors { workers { max-concurrency = 4 }, }");

        var ex = Assert.Throws<InvalidOperationException>(() => Configure(overrides: new() { [HoconConfigurationExtensions.HoconFileKey] = file }));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid HOCON", ex.Message, StringComparison.Ordinal);
    }

    /// <remarks>
    /// The key is one appsettings.json used to repeat: a default there would hide the operator's HOCON file.
    /// </remarks>
    [Fact]
    public void Build_ReadsTheOperatorFile_AndRegistersTheHocon()
    {
        var file = OperatorFile("claude-actors.workers.queue-timeout-seconds = 42\nakka.loglevel = WARNING");

        var app = ClaudeActorsApp.Build([], new Dictionary<string, string?> { [HoconConfigurationExtensions.HoconFileKey] = file, ["urls"] = "http://127.0.0.1:0" });
        try
        {
            Assert.Equal(42, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkerPoolOptions>>().Value.QueueTimeoutSeconds);
            Assert.Equal("WARNING", app.Services.GetRequiredService<ClaudeActorsHocon>().Akka.GetString("akka.loglevel"));
        }
        finally
        {
            ((IDisposable)app).Dispose();
        }
    }

    private (ConfigurationManager Configuration, ClaudeActorsHocon Hocon) Configure(
        string[]? args = null, IDictionary? environment = null, Dictionary<string, string?>? builderSources = null, Dictionary<string, string?>? overrides = null)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(builderSources ?? []);
        var hocon = ClaudeActorsApp.AddConfiguration(configuration, _folder, args ?? [], environment ?? new Hashtable(), overrides);
        return (configuration, hocon);
    }

    private string OperatorFile(string text)
    {
        var path = Path.Combine(_folder, $"operator-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    private static WorkerPoolOptions Workers(IConfiguration configuration) =>
        configuration.GetSection(WorkerPoolOptions.SectionName).Get<WorkerPoolOptions>() ?? new();

    private static ModelOptions Models(IConfiguration configuration) =>
        configuration.GetSection(ModelOptions.SectionName).Get<ModelOptions>() ?? new();

    private static ServerOptions Server(IConfiguration configuration) =>
        configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new();
}
