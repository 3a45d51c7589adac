using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ClaudeActors.Testing.Cluster;

/// <summary>
/// nginx (Debian's package) in front of a <see cref="TestCluster"/>, run as a child process from a temp folder with the
/// repository's <c>deploy/nginx/claude-actors.conf</c>: its upstream servers replaced by the nodes, its port by a
/// free loopback port.
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NginxProxy(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The proxy's address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUrl { get; }

    public int Port { get; }

    /// <summary>The temp folder with <c>nginx.conf</c>, the site file and <c>error.log</c>.</summary>
    public string Folder { get; }

    /// <summary>nginx's error log so far.</summary>
    public string ErrorLog
    {
        get
        {
            var path = Path.Combine(Folder, "error.log");
            try
            {
                return File.Exists(path) ? File.ReadAllText(path) : "";
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    /// <summary>The site file for <paramref name="port"/> and <paramref name="upstreams"/> (host:port each), made from the deploy file.</summary>
    public static string SiteConfiguration(int port, IEnumerable<string> upstreams)
    {
        var text = File.ReadAllText(RepositoryPaths.NginxConfiguration);
        var servers = UpstreamServer().Matches(text);
        if (servers.Count == 0 || !ListenLine().IsMatch(text))
        {
            throw new InvalidOperationException($"{RepositoryPaths.NginxConfiguration} has no upstream server lines or no listen line.");
        }

        var options = servers[0].Groups["options"].Value;
        var lines = string.Join('\n', upstreams.Select(upstream => $"    server {upstream}{options};"));
        text = text[..servers[0].Index] + lines + text[(servers[^1].Index + servers[^1].Length)..];
        return ListenLine().Replace(text, $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};", 1);
    }

    /// <summary>Starts nginx on a free port in front of <paramref name="upstreams"/> and waits until it accepts connections.</summary>
    public static async Task<NginxProxy> StartAsync(IEnumerable<string> upstreams, TimeSpan timeout)
    {
        var binary = FindBinary();
        var folder = Directory.CreateTempSubdirectory("claude-actors-nginx-").FullName;
        var port = FreePorts.Take(1)[0];
        await File.WriteAllTextAsync(Path.Combine(folder, "claude-actors.conf"), SiteConfiguration(port, upstreams)).ConfigureAwait(false);

        // The main context a distribution's nginx.conf would give; as root the workers run as root too, so they can
        // use this private temp folder.
        var main = new StringBuilder();
        if (Environment.IsPrivilegedProcess)
        {
            main.AppendLine("user root;");
        }

        main.AppendLine(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 2048; }
            http {
                access_log off;
                client_body_temp_path {{folder}}/client-body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/claude-actors.conf;
            }
            """);
        var conf = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(conf, main.ToString()).ConfigureAwait(false);

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", folder, "-c", conf })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var proxy = new NginxProxy(process, folder, port);
        process.OutputDataReceived += (_, e) => proxy.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Conditions.WaitAsync("nginx to accept connections", timeout, async () =>
                process.HasExited
                    ? throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {proxy.Describe()}")
                    : await FreePorts.AcceptsAsync(port).ConfigureAwait(false), proxy.Describe).ConfigureAwait(false);
        }
        catch
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Describe()
    {
        lock (_output)
        {
            return _output + ErrorLog;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string FindBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/local/sbin").Append("/usr/local/nginx/sbin")
            .Select(dir => Path.Combine(dir, "nginx"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "nginx is not installed; scripts/test.sh installs it (apt-get install nginx-light), or install it yourself.");
    }

    [GeneratedRegex(@"^[ \t]*server[ \t]+\S+:\d+(?<options>[^;\n]*);[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"listen[ \t]+[^;\n]+;")]
    private static partial Regex ListenLine();
}
