using ClaudeActors.Hosting;
using ClaudeActors.Journal.PostgreSql;
using ClaudeActors.Journal.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Journal;

internal static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="IConversationJournal"/> that <c>ClaudeActors:Journal</c> names (SQLite under the data
    /// directory by default), validated at start-up and wrapped in a <see cref="JournalGuard"/>, the
    /// <see cref="JournalHealth"/> it reports to, and a hosted service that creates its schema when the host starts.
    /// </summary>
    public static IServiceCollection AddConversationJournal(this IServiceCollection services)
    {
        services.AddValidatedOptions<JournalOptions>(JournalOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JournalHealth>();
        services.TryAddSingleton<IConversationJournal>(provider => new JournalGuard(
            CreateJournal(provider),
            provider.GetRequiredService<JournalHealth>(),
            provider.GetRequiredService<ILogger<JournalGuard>>()));
        services.AddHostedService<JournalInitializer>();
        return services;
    }

    private static IConversationJournal CreateJournal(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<JournalOptions>>().Value;
        return options.Provider switch
        {
            JournalProvider.Sqlite => new SqliteConversationJournal(
                options.ConnectionString ??
                SqliteConversationJournal.DefaultConnectionString(services.GetRequiredService<IOptions<ClaudeActorsOptions>>().Value.DataDirectory),
                options.MaxSizeMegabytes,
                services.GetRequiredService<ILogger<SqliteConversationJournal>>()),
            JournalProvider.PostgreSql => new PostgreSqlConversationJournal(options.ConnectionString!),
            _ => throw new InvalidOperationException($"{JournalOptions.SectionName}:Provider: unknown provider {options.Provider}."),
        };
    }
}
