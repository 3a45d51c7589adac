using Akka.Hosting;
using ClaudeActors.Chat;
using ClaudeActors.Cli;
using ClaudeActors.Clustering;
using ClaudeActors.Configuration;
using ClaudeActors.Conversations;
using ClaudeActors.Serialization;
using ClaudeActors.Persistence;
using ClaudeActors.Projections;
using ClaudeActors.Processes;
using ClaudeActors.Retention;
using ClaudeActors.Sessions;
using ClaudeActors.Supervision;
using ClaudeActors.Telemetry;
using ClaudeActors.Usage;
using ClaudeActors.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Hosting;

internal static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the core: validated options, the plain services the actors use, and the one actor system
    /// (<see cref="AddClaudeActorsAkka"/>).
    /// </summary>
    public static IServiceCollection AddClaudeActorsCore(this IServiceCollection services)
    {
        services.AddValidatedOptions<ClaudeActorsOptions>(ClaudeActorsOptions.SectionName);
        services.AddValidatedOptions<CliOptions>(CliOptions.SectionName);
        services.AddValidatedOptions<WorkerPoolOptions>(WorkerPoolOptions.SectionName);
        services.AddValidatedOptions<RetryOptions>(RetryOptions.SectionName);
        services.AddValidatedOptions<SessionOptions>(SessionOptions.SectionName);
        services.AddValidatedOptions<JournalOptions>(JournalOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>());
        services.AddValidatedOptions<ProcessOptions>(ProcessOptions.SectionName);
        services.AddValidatedOptions<ClusterNodeOptions>(ClusterNodeOptions.SectionName);
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CliWorkspace>();
        services.AddSingleton<WorkerPool>();
        services.AddValidatedOptions<LoggingOptions>(LoggingOptions.SectionName);
        services.AddMetrics();
        services.AddSingleton<ClaudeActorsMetrics>();
        services.AddSingleton<TurnSupervisor>();
        services.AddCliWorkerServices();
        services.AddSingleton<ConversationServices>();
        services.AddSingleton<ChatService>();
        services.AddSingleton<ConversationClient>();
        services.AddSingleton<UsageClient>();
        services.AddSingleton<ClusterOverview>();
        services.AddSingleton<NodeDepartures>();
        services.AddClaudeActorsAkka();
        return services;
    }

    /// <summary>
    /// The composition root of the actors: one actor system, a cluster of one node by default (it joins itself, so a
    /// cluster is a matter of configuration), the journal, the conversations' shard region and the node's actors.
    /// </summary>
    private static IServiceCollection AddClaudeActorsAkka(this IServiceCollection services) =>
        services.AddAkka(ClusterNodeOptions.SystemName, (builder, provider) =>
        {
            var hocon = provider.GetService<ClaudeActorsHocon>();
            var journal = provider.GetRequiredService<IOptions<JournalOptions>>().Value;
            var workspace = provider.GetRequiredService<CliWorkspace>();
            var dataDirectory = workspace.DataDirectory;
            var time = provider.GetRequiredService<TimeProvider>();
            var cluster = provider.GetRequiredService<IOptions<ClusterNodeOptions>>().Value;
            builder
                .WithSerilogLogging(hocon?.AkkaLogLevel ?? Akka.Event.LogLevel.InfoLevel)
                .WithClaudeActorsSerialization()
                .WithClaudeActorsCluster(cluster)
                .WithConversationPersistence(journal, dataDirectory, time)
                .AddStartup((_, _) => workspace.KeepJournalFromStart())
                .WithConversationIndex(cluster.Clustered)
                .WithCliWorkers()
                .WithConversations(provider)
                .WithUsageLedgers(provider)
                .WithRetention(provider.GetRequiredService<IOptions<RetentionOptions>>().Value, time)
                .WithLegacyJournalImport<ConversationRegion>(journal, dataDirectory, time)
                .AddStartup((system, _) => provider.GetRequiredService<ClaudeActorsMetrics>().AttachCluster(system));

            // The HOCON files last: an operator's Akka settings win over the defaults set in code above.
            if (hocon is not null)
            {
                builder.AddHocon(hocon.Akka, HoconAddMode.Prepend);
            }
        });
}
