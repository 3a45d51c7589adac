using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClaudeActors.Testing.Gateway;

namespace ClaudeActors.Testing.Cluster;

/// <summary>
/// One server of a <see cref="TestCluster"/>: the built <c>ClaudeActors.Server.dll</c> run with <c>dotnet</c> as a real
/// process, with its own data and CLI config folders, fixed HTTP and remoting ports (so it can be restarted in place),
/// and its own API key towards the fake upstream (<see cref="ApiKey"/>), which tells which node ran each upstream call.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private const int KeptLines = 4000;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Queue<string> _output = new();
    private Process? _process;

    internal ClusterNode(int number, int httpPort, int remotePort, string root, IReadOnlyDictionary<string, string?> settings)
    {
        Number = number;
        HttpPort = httpPort;
        RemotePort = remotePort;
        Root = root;
        _settings = settings;
        BaseUrl = new Uri($"http://127.0.0.1:{httpPort}/");
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>1, 2, 3, ...</summary>
    public int Number { get; }

    public int HttpPort { get; }

    /// <summary>The Akka remoting port (the node's cluster address is <c>akka.tcp://claude-actors@127.0.0.1:port</c>).</summary>
    public int RemotePort { get; }

    /// <summary>This node's folder: <c>data/</c>, <c>cli-config/</c>, its HOCON file.</summary>
    public string Root { get; }

    /// <summary>The node's own address, bypassing the load balancer.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client for <see cref="BaseUrl"/> (30 s time-out), for health and membership checks.</summary>
    public HttpClient Http { get; }

    /// <summary>The API key this node's CLI sends upstream (<c>x-api-key</c>).</summary>
    public string ApiKey => $"sk-ant-cluster-node-{Number}";

    /// <summary>The process id while the node runs.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the node printed (stdout and stderr), over all its runs, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the server process (it keeps its folders over restarts). Use <see cref="WaitReadyAsync"/> next.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Node {Number} is already running.");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClaudeActors.Server.dll"));
        foreach (var (key, value) in _settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        OnLine($"---- node {Number} starting at {DateTimeOffset.UtcNow:O}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200.</summary>
    public Task WaitReadyAsync(TimeSpan timeout) =>
        Conditions.WaitAsync($"node {Number} to be ready", timeout, async () =>
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"Node {Number} exited while starting:\n{Tail(60)}");
            }

            using var response = await Http.GetAsync(new Uri("health/ready", UriKind.Relative)).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }, () => Tail(60));

    /// <summary><c>kill -9</c> of the node and its CLI processes: a machine that dies.</summary>
    public async Task KillAsync()
    {
        var process = Running();
        OnLine($"---- node {Number} killed (SIGKILL) at {DateTimeOffset.UtcNow:O}");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGSTOP of the server process (its CLI children keep running): a node that hangs.</summary>
    public void Pause()
    {
        OnLine($"---- node {Number} paused (SIGSTOP) at {DateTimeOffset.UtcNow:O}");
        Signal("STOP");
    }

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume()
    {
        OnLine($"---- node {Number} resumed (SIGCONT) at {DateTimeOffset.UtcNow:O}");
        Signal("CONT");
    }

    /// <summary>SIGTERM (as a service manager sends it) and the exit code, once the node has drained and exited.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        var process = Running();
        OnLine($"---- node {Number} terminated (SIGTERM) at {DateTimeOffset.UtcNow:O}");
        Signal("TERM");
        return await WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Waits for the node's process to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"Node {Number} was never started.");
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Node {Number} had not exited {timeout} later:\n{Tail(80)}");
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Output"/>.</summary>
    public string Tail(int lines)
    {
        lock (_output)
        {
            return string.Join('\n', _output.Skip(Math.Max(0, _output.Count - lines)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                // A paused process must run again to die of SIGKILL's children walk cleanly.
                Signal("CONT");
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            process.Dispose();
        }
    }

    /// <summary>The settings of node <paramref name="number"/> in <paramref name="root"/> whose CLI talks to <paramref name="upstream"/>.</summary>
    internal static Dictionary<string, string?> Settings(int number, int httpPort, Uri upstream, string root)
    {
        var settings = TestGateway.BaseSettings(upstream, root);
        settings["urls"] = $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}";
        settings["ClaudeActors:Logging:Level"] = "Information";
        settings["ClaudeActors:Cli:Environment:ANTHROPIC_API_KEY"] = $"sk-ant-cluster-node-{number}";
        return settings;
    }

    private Process Running() =>
        _process is { HasExited: false } process ? process : throw new InvalidOperationException($"Node {Number} is not running.");

    private void Signal(string signal)
    {
        var process = Running();
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
