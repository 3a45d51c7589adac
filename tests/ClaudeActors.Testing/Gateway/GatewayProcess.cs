using System.Diagnostics;
using System.Text.RegularExpressions;
using ClaudeActors.Testing.Journal;

namespace ClaudeActors.Testing.Gateway;

/// <summary>
/// Our server as a real child process (<c>dotnet ClaudeActors.Server.dll</c>, settings as command-line switches), for
/// what only a process shows: how it reacts to signals and how it exits. Set up like <see cref="TestGateway"/>.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly IDictionary<string, string?> _database;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatewayProcess(Process process, string root, IDictionary<string, string?> database)
    {
        _process = process;
        _database = database;
        Root = root;
    }

    /// <summary>The temp folder of this server: <c>data/</c> and <c>cli-config/</c>.</summary>
    public string Root { get; }

    /// <summary>A client for the server's address, once it listens.</summary>
    public HttpClient Http { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    /// <summary>What the server printed so far (stdout and stderr), for failure messages.</summary>
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

    /// <summary>Starts the server and waits until it listens. <paramref name="configure"/> as in <see cref="TestGateway.StartAsync"/>.</summary>
    public static async Task<GatewayProcess> StartAsync(Uri upstream, TimeSpan timeout, Action<IDictionary<string, string?>>? configure = null)
    {
        var root = Directory.CreateTempSubdirectory("claude-actors-process-").FullName;
        var (settings, database) = TestGateway.Settings(upstream, root);

        // Information, so that the host prints the address it listens on.
        settings["ClaudeActors:Logging:Level"] = "Information";
        configure?.Invoke(settings);

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClaudeActors.Server.dll"));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = new Process { StartInfo = start };
        var server = new GatewayProcess(process, root, database);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await server._listening.Task.WaitAsync(timeout).ConfigureAwait(false);
            server.Http = new HttpClient { BaseAddress = address, Timeout = timeout };
            return server;
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"The server did not listen within {timeout}:\n{server.Output}");
        }
    }

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit and returns its exit code; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server had not exited {timeout} later:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        await TestDatabases.DropAsync(_database).ConfigureAwait(false);
        TestFolders.DeleteQuietly(Root);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (?:\\?"")?(http://[^\s""\\]+)")]
    private static partial Regex ListeningLine();
}
