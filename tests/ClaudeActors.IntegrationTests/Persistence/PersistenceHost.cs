using Akka.Actor;
using Akka.Hosting;
using ClaudeActors.Persistence;
using ClaudeActors.Projections;
using ClaudeActors.Serialization;
using ClaudeActors.Testing.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaudeActors.IntegrationTests.Persistence;

/// <summary>
/// An actor system as the server sets it up for conversations (the JSON serializer, Akka.Persistence.Sql, the index, the heartbeat) with
/// the stand-in region, on a database of its own that outlives the host so that a test can start a second one on it.
/// </summary>
internal sealed class PersistenceHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PersistenceHost(IHost host, ActorSystem system, IActorRegistry registry)
    {
        _host = host;
        System = system;
        Registry = registry;
    }

    public ActorSystem System { get; }

    public IActorRegistry Registry { get; }

    public IActorRef Index => Registry.Get<ConversationIndex>();

    public IActorRef Conversations => Registry.Get<StandInRegion>();

    public IActorRef Heartbeat => Registry.Get<JournalHeartbeat>();

    public static async Task<PersistenceHost> StartAsync(
        JournalOptions options, string dataDirectory, bool publish = true, Action<AkkaConfigurationBuilder>? configure = null)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("persistence-test", (builder, _) =>
            {
                builder.ConfigureLoggers(loggers => loggers.LogLevel = Akka.Event.LogLevel.WarningLevel);
                builder.WithClaudeActorsSerialization()
                    .WithConversationPersistence(options, dataDirectory)
                    .WithConversationIndex()
                    .WithActors((system, registry) =>
                        registry.Register<StandInRegion>(system.ActorOf(Props.Create(() => new StandInRegion(publish)), "conversations")));
                configure?.Invoke(builder);
            }))
            .Build();
        await host.StartAsync();
        return new PersistenceHost(host, host.Services.GetRequiredService<ActorSystem>(), host.Services.GetRequiredService<IActorRegistry>());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>A fresh database (and data directory) for one test: SQLite in the default place, or a new PostgreSQL database.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly IDictionary<string, string?>? _postgres;

    public TestStore(JournalProvider provider)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "claude-actors-persistence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        if (provider == JournalProvider.PostgreSql)
        {
            _postgres = TestDatabases.For(provider, DataDirectory);
            Options = new JournalOptions { Provider = provider, ConnectionString = _postgres[JournalOptions.SectionName + ":ConnectionString"] };
        }
        else
        {
            Options = new JournalOptions { Provider = provider };
        }
    }

    public string DataDirectory { get; }

    public JournalOptions Options { get; }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await TestDatabases.DropAsync(_postgres);
        }

        Directory.Delete(DataDirectory, recursive: true);
    }
}
