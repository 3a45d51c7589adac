using ClaudeActors.Journal;
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
    private readonly IDictionary<string, string?> _database;

    private RestartableGateway(Uri upstream, string root, IDictionary<string, string?> database)
    {
        _upstream = upstream;
        Root = root;
        _database = database;
    }

    /// <summary>The folder every gateway started here shares.</summary>
    public string Root { get; }

    /// <summary>A new temp root named from <paramref name="rootPrefix"/> and a new database of <paramref name="provider"/>.</summary>
    public static RestartableGateway Create(Uri upstream, JournalProvider provider, string rootPrefix)
    {
        var root = Directory.CreateTempSubdirectory(rootPrefix).FullName;
        return new RestartableGateway(upstream, root, TestDatabases.For(provider, Path.Combine(root, "data")));
    }

    /// <summary>Starts a gateway on the root and the database; the caller stops it.</summary>
    public Task<TestGateway> StartAsync() => TestGateway.StartAsync(_upstream, UseDatabase, Root);

    public async ValueTask DisposeAsync()
    {
        await TestDatabases.DropAsync(_database);
        Directory.Delete(Root, recursive: true);
    }

    private void UseDatabase(IDictionary<string, string?> settings)
    {
        foreach (var (key, value) in _database)
        {
            settings[key] = value;
        }
    }
}
