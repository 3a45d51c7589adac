using System.Collections;
using System.ComponentModel.DataAnnotations;
using ClaudeActors.Clustering;
using ClaudeActors.Configuration;
using ClaudeActors.Hosting;
using ClaudeActors.Server.Anthropic.Errors;
using ClaudeActors.Server.Anthropic.Messages;
using ClaudeActors.Server.Cluster;
using ClaudeActors.Server.Health;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Completions;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using ClaudeActors.Server.OpenAi.Responses;
using ClaudeActors.Server.Security;
using ClaudeActors.Server.Sessions;
using ClaudeActors.Server.Status;
using ClaudeActors.Server.Telemetry;
using ClaudeActors.Server.Tenants;
using ClaudeActors.Server.Usage;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Server.Hosting;

/// <summary>Builds the web application: configuration, Serilog, services and endpoints.</summary>
internal static class ClaudeActorsApp
{
    /// <summary>
    /// Creates the application. <paramref name="overrides"/> (tests, the benchmark) win over every other source.
    /// </summary>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var hocon = AddConfiguration(builder.Configuration, builder.Environment.ContentRootPath, args, Environment.GetEnvironmentVariables(), overrides);
        builder.Services.AddSingleton(hocon);

        var statusLog = builder.Services.AddStatusPage();
        builder.Services.AddClaudeActorsSerilog(builder.Configuration, statusLog);
        var open = ConfigureKestrel(builder);
        builder.Services.AddClaudeActors();
        builder.Services.AddClaudeActorsTelemetry(builder.Configuration);

        var app = builder.Build();
        app.WarnAtStart(open);
        app.UseRequestTelemetry();
        app.UseRequestRecording();
        app.UseAnthropicSurface();
        app.UseOpenAiErrorPages();
        app.UseMiddleware<RequestGuard>();
        app.UseMiddleware<ApiKeyAuthentication>();
        app.UseTenantLimits();
        app.UseShutdownRefusal();
        app.MapHealth();
        app.MapMetrics();
        app.MapStatus();
        app.MapGroup("/v1").AddEndpointFilter<JournalFailureFilter>().MapChatCompletions().MapCompletions().MapResponses().MapMessages().MapModels().MapSessions().MapCluster().MapUsage();
        return app;
    }

    /// <summary>
    /// Adds our configuration sources to those <see cref="WebApplication.CreateBuilder(string[])"/> added (appsettings.json,
    /// <c>ClaudeActors__...</c> environment variables, command line). Later ones win: the first gateway's environment names
    /// in <paramref name="environment"/>, the command line again (over them), <paramref name="overrides"/>; and, below
    /// everything, <c>hocon/claude-actors.conf</c> with the operator's HOCON file over it. Returns the HOCON read, whose
    /// <c>akka</c> block is for the actor system.
    /// </summary>
    internal static ClaudeActorsHocon AddConfiguration(
        ConfigurationManager configuration, string contentRoot, string[] args, IDictionary environment, IReadOnlyDictionary<string, string?>? overrides)
    {
        configuration.AddInMemoryCollection(LegacyEnvironment.Read(environment));
        configuration.AddInMemoryCollection(HoconFileSetting.FromEnvironment(environment));
        configuration.AddCommandLine(args);
        configuration.AddInMemoryCollection(HoconFileSetting.FromCommandLine(args));
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }

        var hocon = configuration.AddClaudeActorsHocon(contentRoot);
        configuration.AddInMemoryCollection(ListSettings.Expand(configuration, [.. HoconKeys.ListsAsOneValue]));
        return hocon;
    }

    /// <summary>Registers the whole service: actors, workers, OpenAI surface, health.</summary>
    public static IServiceCollection AddClaudeActors(this IServiceCollection services)
    {
        services.AddClaudeActorsCore();
        services.AddValidatedOptions<ServerOptions>(ServerOptions.SectionName);
        services.AddValidatedOptions<ModelOptions>(ModelOptions.SectionName);
        services.AddValidatedOptions<AuthOptions>(AuthOptions.SectionName);
        services.AddSingleton<ApiKeys>();
        services.AddTenantLimits();
        services.AddSingleton<SubscriptionLimits>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ChatRequestParser>();
        services.AddSingleton<CompletionRequestReader>();
        services.AddSingleton<MessagesRequestReader>();
        services.AddSingleton<ResponseRequestReader>();
        services.AddSingleton<ResponseStore>();
        services.AddSingleton<CliProbe>();
        services.AddSingleton<ReadinessCheck>();
        services.AddClaudeActorsHealthChecks();
        services.AddSingleton<ShutdownDrain>();
        services.AddOptions<HostOptions>().Configure<IOptions<ClusterNodeOptions>>((host, cluster) =>
        {
            // Kestrel waits for running requests (cut at the drain time), then Akka's coordinated shutdown hands the
            // conversations over (their running turns may take up to the drain time and 10 s more) and leaves the
            // cluster: the host's shut-down time-out covers all of it.
            var needed = (cluster.Value.Drain * 2) + TimeSpan.FromSeconds(40);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        services.AddHostedService(sp => sp.GetRequiredService<CliProbe>());
        return services;
    }

    /// <summary>Sets where the server listens; true when it runs open (no key), which only loopback allows.</summary>
    private static bool ConfigureKestrel(WebApplicationBuilder builder)
    {
        var server = builder.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(server, new ValidationContext(server), errors, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                ServerOptions.SectionName,
                typeof(ServerOptions),
                errors.Select(e => $"{ServerOptions.SectionName}:{string.Join(",", e.MemberNames)}: {e.ErrorMessage}"));
        }

        var urls = builder.Configuration["urls"];
        if (string.IsNullOrEmpty(urls))
        {
            builder.WebHost.UseUrls(server.Url());
            urls = server.Url();
        }

        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        var anyKey = ApiKeys.AnyConfigured(auth);
        // Kestrel's own endpoint settings (Kestrel:Endpoints:<name>:Url) win over urls: they are checked too.
        var endpoints = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        var listening = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Concat(endpoints);
        if (BindingRule.Refusal(listening, anyKey, auth.AllowUnauthenticated) is { } refusal)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), [refusal]);
        }

        return !anyKey;
    }
}
