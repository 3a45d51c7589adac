using System.ComponentModel.DataAnnotations;
using ClaudeActors.Hosting;
using ClaudeActors.Server.Health;
using ClaudeActors.Server.OpenAi.Chat;
using ClaudeActors.Server.OpenAi.Errors;
using ClaudeActors.Server.OpenAi.Models;
using ClaudeActors.Server.Security;
using ClaudeActors.Server.Sessions;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

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
        builder.Configuration.AddInMemoryCollection(LegacyEnvironment.Read(Environment.GetEnvironmentVariables()));
        builder.Configuration.AddCommandLine(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Configuration.AddInMemoryCollection(ListSettings.Expand(
            builder.Configuration, $"{ServerOptions.SectionName}:AllowedHosts", $"{ServerOptions.SectionName}:AllowedOrigins"));

        ConfigureLogging(builder);
        ConfigureKestrel(builder);
        builder.Services.AddClaudeActors();

        var app = builder.Build();
        app.UseOpenAiErrorPages();
        app.UseMiddleware<RequestGuard>();
        app.UseShutdownRefusal();
        app.MapHealth();
        app.MapGroup("/v1").AddEndpointFilter<JournalFailureFilter>().MapChatCompletions().MapModels().MapSessions();
        return app;
    }

    /// <summary>Registers the whole service: actors, workers, OpenAI surface, health.</summary>
    public static IServiceCollection AddClaudeActors(this IServiceCollection services)
    {
        services.AddClaudeActorsCore();
        services.AddValidatedOptions<ServerOptions>(ServerOptions.SectionName);
        services.AddValidatedOptions<ModelOptions>(ModelOptions.SectionName);
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<ChatRequestParser>();
        services.AddSingleton<CliProbe>();
        services.AddSingleton<ReadinessCheck>();
        services.AddHostedService(sp => sp.GetRequiredService<CliProbe>());
        return services;
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder)
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

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(server.Url());
        }
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        var level = Enum.TryParse<LogEventLevel>(builder.Configuration["ClaudeActors:Logging:Level"], ignoreCase: true, out var configured)
            ? configured
            : LogEventLevel.Information;
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", (LogEventLevel)Math.Max((int)level, (int)LogEventLevel.Warning))
            .MinimumLevel.Override("Microsoft.Hosting", level)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
    }
}
