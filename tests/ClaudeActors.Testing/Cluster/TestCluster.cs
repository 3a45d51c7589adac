using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.FakeUpstream;
using ClaudeActors.Testing.Gateway;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.Testing.Cluster;

/// <summary>
/// A cluster on loopback: the fake Anthropic upstream, one fresh PostgreSQL database (on the server
/// scripts/start-postgres.sh runs), <c>N</c> server processes that know each other as seed nodes and drive the real
/// pinned CLI, and nginx in front of them with the repository's configuration.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly IDictionary<string, string?> _database;

    private TestCluster(FakeAnthropicServer upstream, IDictionary<string, string?> database, IReadOnlyList<ClusterNode> nodes, string root)
    {
        Upstream = upstream;
        _database = database;
        Nodes = nodes;
        Root = root;
        Journal = new ClusterJournal(database[JournalOptions.SectionName + ":ConnectionString"]!);
    }

    public FakeAnthropicServer Upstream { get; }

    public IReadOnlyList<ClusterNode> Nodes { get; }

    /// <summary>nginx in front of every node (null when started without it).</summary>
    public NginxProxy? Proxy { get; private set; }

    /// <summary>The shared event journal, read directly.</summary>
    public ClusterJournal Journal { get; }

    /// <summary>The cluster's temp folder (one folder per node below it).</summary>
    public string Root { get; }

    /// <summary>
    /// Starts <paramref name="nodeCount"/> nodes and waits until every node is ready and a member of one cluster of
    /// them all; then nginx, unless <paramref name="withProxy"/> is false. <paramref name="configure"/> adds settings to
    /// every node (configuration keys, as in <see cref="TestGateway.StartAsync"/>).
    /// </summary>
    public static async Task<TestCluster> StartAsync(int nodeCount, Action<IDictionary<string, string?>>? configure = null, bool withProxy = true)
    {
        EnsurePostgres();
        var root = Directory.CreateTempSubdirectory("claude-actors-cluster-").FullName;
        var upstream = await FakeAnthropicServer.StartAsync().ConfigureAwait(false);
        var database = TestDatabases.For(JournalProvider.PostgreSql, root);
        var ports = FreePorts.Take(nodeCount * 2);
        var seeds = Enumerable.Range(0, nodeCount).Select(i => ports[nodeCount + i]).ToList();
        var nodes = new List<ClusterNode>();
        for (var i = 0; i < nodeCount; i++)
        {
            var nodeRoot = Path.Combine(root, $"node-{i + 1}");
            Directory.CreateDirectory(nodeRoot);
            var settings = ClusterNode.Settings(i + 1, ports[i], upstream.BaseUrl, nodeRoot);
            foreach (var (key, value) in database)
            {
                settings[key] = value;
            }

            // As an operator sets them: this node's remoting port and the same seed list (every node) everywhere.
            settings["ClaudeActors:Cluster:Port"] = ports[nodeCount + i].ToString(CultureInfo.InvariantCulture);
            settings["ClaudeActors:Cluster:SeedNodes"] = string.Join(';', seeds.Select(SeedAddress));
            configure?.Invoke(settings);
            nodes.Add(new ClusterNode(i + 1, ports[i], ports[nodeCount + i], nodeRoot, settings));
        }

        var cluster = new TestCluster(upstream, database, nodes, root);
        try
        {
            // One node after the other, as a deployment brings them up: three cold starts at once on two busy cores can
            // pass Akka.Persistence.Sql's 5 s start-up ask of the read journal, and the node then exits.
            foreach (var node in nodes)
            {
                node.Start();
                await node.WaitReadyAsync(StartTimeout).ConfigureAwait(false);
            }

            await cluster.WaitForMembersAsync(nodes, StartTimeout).ConfigureAwait(false);
            if (withProxy)
            {
                cluster.Proxy = await NginxProxy.StartAsync(nodes.Select(node => $"127.0.0.1:{node.HttpPort}"), StartTimeout).ConfigureAwait(false);
            }
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>The node whose CLI sent <paramref name="request"/> upstream (by its API key), or null.</summary>
    public ClusterNode? NodeOf(RecordedRequest request) =>
        Nodes.FirstOrDefault(node => request.Header("x-api-key") == node.ApiKey);

    /// <summary>Restarts a node that was stopped (or killed) with its folders and ports, and waits until it has rejoined.</summary>
    public async Task RestartAsync(ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Start();
        await node.WaitReadyAsync(StartTimeout).ConfigureAwait(false);
        await WaitForMembersAsync(Nodes.Where(n => n.IsRunning).ToList(), StartTimeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every node of <paramref name="members"/> serves the conversation region, i.e. sharding works from
    /// each: a lookup of a conversation that does not exist reaches an entity and comes back 404 on every node; and,
    /// where the server has <c>GET /v1/cluster</c>, until each lists exactly these nodes as <c>up</c>.
    /// </summary>
    public Task WaitForMembersAsync(IReadOnlyList<ClusterNode> members, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(members);
        var probe = 0;
        return Conditions.WaitAsync($"nodes {string.Join(", ", members.Select(m => m.Number))} to form one cluster", timeout, async () =>
        {
            foreach (var node in members)
            {
                using var view = await node.Http.GetAsync(new Uri("v1/cluster", UriKind.Relative)).ConfigureAwait(false);
                if (view.StatusCode == HttpStatusCode.OK)
                {
                    var up = UpMemberPorts(await view.Content.ReadAsStringAsync().ConfigureAwait(false));
                    if (!up.SetEquals(members.Select(m => m.RemotePort)))
                    {
                        return false;
                    }
                }

                var id = $"cluster-probe-{node.Number}-{Interlocked.Increment(ref probe)}";
                using var lookup = await node.Http.GetAsync(new Uri($"v1/sessions/{id}", UriKind.Relative)).ConfigureAwait(false);
                if (lookup.StatusCode != HttpStatusCode.NotFound)
                {
                    return false;
                }
            }

            return true;
        }, () => string.Join("\n", members.Select(m => $"node {m.Number}:\n{m.Tail(30)}")));
    }

    /// <summary>Everything each node printed, for a failing test's message.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var node in Nodes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"==== node {node.Number} (http {node.HttpPort}, remoting {node.RemotePort})");
            text.AppendLine(node.Tail(150));
        }

        if (Proxy is not null)
        {
            text.AppendLine("==== nginx error log").AppendLine(Proxy.ErrorLog);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        await Upstream.DisposeAsync().ConfigureAwait(false);
        await TestDatabases.DropAsync(_database).ConfigureAwait(false);
        TestFolders.DeleteQuietly(Root);
    }

    private static string SeedAddress(int remotePort) =>
        $"akka.tcp://claude-actors@127.0.0.1:{remotePort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The remoting ports of the members a <c>GET /v1/cluster</c> body lists with status up.</summary>
    private static HashSet<int> UpMemberPorts(string json)
    {
        var ports = new HashSet<int>();
        using var document = JsonDocument.Parse(json);
        var members = document.RootElement.TryGetProperty("members", out var list) ? list : document.RootElement;
        if (members.ValueKind != JsonValueKind.Array)
        {
            return ports;
        }

        foreach (var member in members.EnumerateArray())
        {
            var status = member.TryGetProperty("status", out var s) ? s.GetString() : null;
            var address = member.TryGetProperty("address", out var a) ? a.GetString() : null;
            if (string.Equals(status, "up", StringComparison.OrdinalIgnoreCase) && address is not null
                && Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                ports.Add(uri.Port);
            }
        }

        return ports;
    }

    /// <summary>Starts PostgreSQL with scripts/start-postgres.sh when the test command has not (it is idempotent).</summary>
    private static void EnsurePostgres()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDatabases.PostgresVariable)))
        {
            return;
        }

        var start = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "scripts", "start-postgres.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEnd();
        var stderr = script.StandardError.ReadToEnd();
        script.WaitForExit();
        var connection = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (script.ExitCode != 0 || string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException($"scripts/start-postgres.sh failed ({script.ExitCode}):\n{stderr}");
        }

        Environment.SetEnvironmentVariable(TestDatabases.PostgresVariable, connection.Trim());
    }
}
