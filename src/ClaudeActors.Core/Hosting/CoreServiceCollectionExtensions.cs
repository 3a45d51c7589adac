using ClaudeActors.Chat;
using ClaudeActors.Cli;
using Akka.Hosting;
using ClaudeActors.Journal;
using ClaudeActors.Processes;
using ClaudeActors.Sessions;
using ClaudeActors.Supervision;
using ClaudeActors.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClaudeActors.Hosting;

internal static class CoreServiceCollectionExtensions
{
    /// <summary>Registers the actors, the worker pool, the supervisor and their validated options.</summary>
    public static IServiceCollection AddClaudeActorsCore(this IServiceCollection services)
    {
        services.AddValidatedOptions<ClaudeActorsOptions>(ClaudeActorsOptions.SectionName);
        services.AddValidatedOptions<CliOptions>(CliOptions.SectionName);
        services.AddValidatedOptions<WorkerPoolOptions>(WorkerPoolOptions.SectionName);
        services.AddValidatedOptions<RetryOptions>(RetryOptions.SectionName);
        services.AddValidatedOptions<SessionOptions>(SessionOptions.SectionName);
        services.AddValidatedOptions<ProcessOptions>(ProcessOptions.SectionName);
        services.AddConversationJournal();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CliWorkspace>();
        services.AddSingleton<WorkerPool>();
        services.AddSingleton<TurnSupervisor>();
        services.AddCliWorkerServices();

        // Minimal until the composition root exists: the lead merges this into the one AddAkka.
        services.AddAkka("claude-actors", builder => builder.WithCliWorkers());
        services.AddSingleton<SessionServices>();
        services.AddSingleton<SessionRegistry>();
        services.AddHostedService<SessionHost>();
        services.AddSingleton<ChatService>();
        return services;
    }
}
