using ClaudeActors.Persistence;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>
/// What a restart test keeps from one gateway to the next: a temp root (its <c>data/</c> and <c>cli-config/</c>
/// folders) and a fresh journal database. Every <see cref="StartAsync"/> starts a gateway on them; disposing drops
/// the database and deletes the root.
/// </summary>
internal sealed class RestartableGateway : IAsyncDisposable
{
    private readonly Uri _upstream;

    private RestartableGateway(Uri upstream, string root, IDictionary<string, string?> database)
    {
        _upstream = upstream;
        Root = root;
        Database = database;
    }

    /// <summary>The folder every gateway started here shares.</summary>
    public string Root { get; }

    /// <summary>The journal's settings (provider and connection string) every gateway started here uses.</summary>
    public IDictionary<string, string?> Database { get; }

    /// <summary>
    /// A new temp root named from <paramref name="rootPrefix"/> and a new database of <paramref name="provider"/>; a
    /// SQLite file goes in the folder <paramref name="sqliteFolder"/> of the root (default the data directory).
    /// </summary>
    public static RestartableGateway Create(Uri upstream, JournalProvider provider, string rootPrefix, string sqliteFolder = "data")
    {
        var root = Directory.CreateTempSubdirectory(rootPrefix).FullName;
        return new RestartableGateway(upstream, root, TestDatabases.For(provider, Path.Combine(root, sqliteFolder)));
    }

    /// <summary>Starts a gateway on the root and the database; <paramref name="configure"/> adds settings. The caller stops it.</summary>
    public Task<TestGateway> StartAsync(Action<IDictionary<string, string?>>? configure = null) =>
        TestGateway.StartAsync(_upstream, settings =>
        {
            foreach (var (key, value) in Database)
            {
                settings[key] = value;
            }

            configure?.Invoke(settings);
        }, Root);

    public async ValueTask DisposeAsync()
    {
        await TestDatabases.DropAsync(Database);
        TestFolders.DeleteQuietly(Root);
    }
}
