using System.ClientModel;
using ClaudeActors.Server.Hosting;
using ClaudeActors.Persistence;
using ClaudeActors.Testing.Cli;
using ClaudeActors.Testing.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;

namespace ClaudeActors.Testing.Gateway;

/// <summary>
/// Our server on a real loopback port, with its own data folder and CLI config folder, driving a CLI (the pinned real
/// one by default) against an upstream. Tests and the benchmark talk to it over HTTP like any client.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly bool _ownsRoot;
    private readonly IDictionary<string, string?> _database;

    private TestGateway(WebApplication app, Uri baseUrl, string root, bool ownsRoot, IDictionary<string, string?> database, CapturedLogs logs)
    {
        _database = database;
        Logs = logs;
        App = app;
        BaseUrl = baseUrl;
        Root = root;
        _ownsRoot = ownsRoot;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(3) };
    }

    public WebApplication App { get; }

    /// <summary>The journal settings this gateway was given (empty: the default SQLite file in its data directory).</summary>
    public IReadOnlyDictionary<string, string?> Journal => _database.AsReadOnly();

    public IServiceProvider Services => App.Services;

    /// <summary>The server's address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A temp folder of this gateway's own: <c>data/</c> (server) and <c>cli-config/</c> (CLAUDE_CONFIG_DIR).</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public string CliConfigDirectory => Path.Combine(Root, "cli-config");

    public HttpClient Http { get; }

    /// <summary>What the server logged since it was started.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>
    /// Starts a gateway whose CLI talks to <paramref name="upstream"/>. <paramref name="configure"/> adds or changes
    /// settings (configuration keys, e.g. <c>ClaudeActors:Workers:MaxConcurrency</c>). Given a <paramref name="root"/>
    /// (from an earlier gateway, to test a restart), the gateway uses it and leaves it in place when disposed.
    /// <paramref name="configureApp"/> may add middleware in front of the endpoints (to inject a fault).
    /// </summary>
    public static async Task<TestGateway> StartAsync(
        Uri upstream, Action<IDictionary<string, string?>>? configure = null, string? root = null, Action<WebApplication>? configureApp = null)
    {
        var ownsRoot = root is null;
        root ??= Directory.CreateTempSubdirectory("claude-actors-test-").FullName;
        var (settings, database) = Settings(upstream, root);
        configure?.Invoke(settings);
        var app = ClaudeActorsApp.Build([], settings);
        configureApp?.Invoke(app);
        var logs = new CapturedLogs();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestGateway(app, new Uri(address.TrimEnd('/') + "/"), root, ownsRoot, database, logs);
    }

    /// <summary>
    /// The settings of a gateway under test in <paramref name="root"/> (its data and CLI config folders) whose CLI talks
    /// to <paramref name="upstream"/>, with the journal the test command chose; and the database entries among them.
    /// </summary>
    internal static (Dictionary<string, string?> Settings, IDictionary<string, string?> Database) Settings(Uri upstream, string root)
    {
        var settings = BaseSettings(upstream, root);

        // The journal the test command chose for this run; a test that needs a given one sets it in `configure`.
        var database = TestDatabases.DefaultProvider == JournalProvider.Sqlite
            ? new Dictionary<string, string?>()
            : TestDatabases.For(TestDatabases.DefaultProvider, Path.Combine(root, "data"));
        foreach (var (name, value) in database)
        {
            settings[name] = value;
        }

        return (settings, database);
    }

    /// <summary>The settings of a server under test in <paramref name="root"/> whose CLI talks to <paramref name="upstream"/>, without a journal choice.</summary>
    internal static Dictionary<string, string?> BaseSettings(Uri upstream, string root)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["ClaudeActors:DataDirectory"] = Path.Combine(root, "data"),
            ["ClaudeActors:Cli:BinaryPath"] = ClaudeCliInstall.ExecutablePath,
            ["ClaudeActors:Retry:BaseBackoffSeconds"] = "0.05",
            ["ClaudeActors:Retry:MaxBackoffSeconds"] = "0.5",
            ["ClaudeActors:Logging:Level"] = "Warning",
        };
        foreach (var (name, value) in ClaudeCliEnvironment.For(upstream, Path.Combine(root, "cli-config")))
        {
            settings["ClaudeActors:Cli:Environment:" + name] = value;
        }

        return settings;
    }

    /// <summary>The official OpenAI SDK's chat client for this gateway (SDK retries off, so the server's behaviour shows).</summary>
    public ChatClient OpenAiChat(string model = "default")
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(BaseUrl, "v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromMinutes(3),
        };
        return new ChatClient(model, new ApiKeyCredential("not-used"), options);
    }

    /// <summary>The official OpenAI SDK's chat client, sending every request with an <c>X-Session-Id</c> header.</summary>
    public ChatClient OpenAiChat(string model, string sessionId)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(BaseUrl, "v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromMinutes(3),
        };
        options.AddPolicy(new SessionHeaderPolicy(sessionId), System.ClientModel.Primitives.PipelinePosition.PerCall);
        return new ChatClient(model, new ApiKeyCredential("not-used"), options);
    }

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await TestDatabases.DropAsync(_database);
        if (!_ownsRoot)
        {
            return;
        }

        TestFolders.DeleteQuietly(Root);
    }
}
