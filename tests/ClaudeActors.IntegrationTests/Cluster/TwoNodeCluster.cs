using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using ClaudeActors.Conversations;
using ClaudeActors.IntegrationTests.Support;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.IntegrationTests.Cluster;

/// <summary>
/// Two gateways in this process that form one Akka.NET cluster over loopback remoting and share one journal (the test
/// command's: a shared SQLite file, or one PostgreSQL database). Each has its own data folder and CLI config folder.
/// </summary>
internal sealed class TwoNodeCluster : IAsyncDisposable
{
    private readonly string _shared;
    private readonly IDictionary<string, string?> _journal;

    private TwoNodeCluster(string shared, IDictionary<string, string?> journal, TestGateway a, TestGateway b)
    {
        _shared = shared;
        _journal = journal;
        A = a;
        B = b;
    }

    /// <summary>The seed node (it starts the cluster).</summary>
    public TestGateway A { get; }

    /// <summary>The node that joins it.</summary>
    public TestGateway? B { get; private set; }

    /// <summary>Starts both; <paramref name="bHocon"/> is Akka HOCON for B only (an operator file).</summary>
    public static async Task<TwoNodeCluster> StartAsync(Uri upstream, string? bHocon = null)
    {
        var shared = Directory.CreateTempSubdirectory("claude-actors-cluster-").FullName;
        var journal = TestDatabases.DefaultProvider == JournalProvider.PostgreSql
            ? TestDatabases.For(JournalProvider.PostgreSql, shared)
            : new Dictionary<string, string?>
            {
                ["ClaudeActors:Journal:Provider"] = "Sqlite",
                ["ClaudeActors:Journal:ConnectionString"] = $"Data Source={Path.Combine(shared, "journal.db")}",
            };
        var seed = $"akka.tcp://claude-actors@127.0.0.1:{FreePort()}";
        var a = await TestGateway.StartAsync(upstream, s => Configure(s, journal, seed, new Uri(seed.Replace("akka.tcp", "tcp", StringComparison.Ordinal)).Port));
        string? bFile = null;
        if (bHocon is not null)
        {
            bFile = Path.Combine(shared, "b.conf");
            await File.WriteAllTextAsync(bFile, bHocon);
        }

        var b = await TestGateway.StartAsync(upstream, s =>
        {
            Configure(s, journal, seed, 0);
            if (bFile is not null)
            {
                s["ClaudeActors:HoconFile"] = bFile;
            }
        });
        var cluster = new TwoNodeCluster(shared, journal, a, b);
        await Eventually.TrueAsync(async () => await UpMembersAsync(a) == 2 && await UpMembersAsync(b) == 2, "both nodes are Up members");
        return cluster;
    }

    /// <summary>The members <c>GET /v1/cluster</c> on <paramref name="node"/> shows as Up.</summary>
    public static async Task<int> UpMembersAsync(TestGateway node) =>
        (await ClusterAsync(node)).GetProperty("members").EnumerateArray().Count(m => m.GetProperty("status").GetString() == "Up");

    public static async Task<JsonElement> ClusterAsync(TestGateway node)
    {
        using var response = await node.Http.GetAsync("v1/cluster");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Sse.JsonAsync(response);
    }

    /// <summary>Whether the conversation's entity is in memory on <paramref name="node"/>.</summary>
    public static async Task<bool> HostsAsync(TestGateway node, string conversationId)
    {
        var region = node.Get<IRequiredActor<ConversationRegion>>().ActorRef;
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(30));
        return state.Shards.Any(s => s.EntityIds.Contains(conversationId));
    }

    /// <summary>Stops <see cref="B"/> gracefully: it hands its shards over and leaves the cluster.</summary>
    public async Task StopBAsync()
    {
        if (B is { } b)
        {
            B = null;
            await b.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopBAsync();
        await A.DisposeAsync();
        await TestDatabases.DropAsync(_journal);
        TestFolders.DeleteQuietly(_shared);
    }

    private static void Configure(IDictionary<string, string?> settings, IDictionary<string, string?> journal, string seed, int port)
    {
        foreach (var (key, value) in journal)
        {
            settings[key] = value;
        }

        settings["ClaudeActors:Cluster:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["ClaudeActors:Cluster:SeedNodes:0"] = seed;
        settings["ClaudeActors:Cluster:StableAfterSeconds"] = "5";
        settings["ClaudeActors:Cluster:DrainSeconds"] = "10";
        settings["ClaudeActors:Processes:Standby"] = "0";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
