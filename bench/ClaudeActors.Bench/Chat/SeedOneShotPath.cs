using System.Diagnostics;
using System.Text.Json;
using ClaudeActors.Bench.Measurement;
using ClaudeActors.Testing.Cli;

namespace ClaudeActors.Bench.Chat;

/// <summary>
/// The seeds' way: a fresh <c>claude -p --output-format json --tools ""</c> per request, prompt on stdin, wait for the
/// process to exit, read <c>result</c> from its JSON, then slice the answer into chunks for the client. The first chunk
/// exists only after the process ended, so time to first token is about the total time.
/// </summary>
internal sealed class SeedOneShotPath : IChatPath, IDisposable
{
    private readonly string _cliPath;
    private readonly ChatWorkload _workload;
    private readonly string _root;
    private readonly string _workingDirectory;
    private readonly IReadOnlyDictionary<string, string> _environment;

    public SeedOneShotPath(string cliPath, Uri upstream, ChatWorkload workload)
    {
        _cliPath = cliPath;
        _workload = workload;
        _root = Directory.CreateTempSubdirectory("claude-actors-bench-seeds-").FullName;
        _workingDirectory = Directory.CreateDirectory(Path.Combine(_root, "cwd")).FullName;
        _environment = ClaudeCliEnvironment.For(upstream, Path.Combine(_root, "cli-config"));
    }

    public string Name => "seeds (claude -p per request)";

    public async Task<Sample> SendAsync(CancellationToken cancellationToken) =>
        (await RunAsync(ChatWorkload.Prompt, ChatWorkload.IsExpected, cancellationToken)).Sample;

    /// <summary>
    /// One fresh process for <paramref name="prompt"/>; the answer counts as right when <paramref name="isExpected"/>
    /// says so. The reply's text is the CLI's <c>result</c> (empty when it gave none).
    /// </summary>
    public async Task<ChatReply> RunAsync(string prompt, Func<string, bool> isExpected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_workload.RequestTimeout);
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(StartInfo()) ?? throw new InvalidOperationException($"Could not start {_cliPath}.");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteAsync(prompt.AsMemory(), timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            var (answer, error) = ParseResult(await stdout, await stderr, process.ExitCode);
            return answer is null
                ? new ChatReply(Sample.Failed(stopwatch.Elapsed, error!), "", null)
                : new ChatReply(Slice(answer, isExpected, stopwatch), answer, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChatReply(Sample.Failed(stopwatch.Elapsed, $"the CLI did not exit within {_workload.RequestTimeout.TotalSeconds:0} s"), "", null);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private ProcessStartInfo StartInfo()
    {
        var info = new ProcessStartInfo(_cliPath)
        {
            WorkingDirectory = _workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["-p", "--output-format", "json", "--tools", ""])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Pseudo-streaming as the seeds did it: the client gets its first chunk only now.</summary>
    private Sample Slice(string answer, Func<string, bool> isExpected, Stopwatch stopwatch)
    {
        TimeSpan? firstToken = null;
        var size = Math.Max(1, (int)Math.Ceiling(answer.Length / (double)_workload.ChunkCount));
        var sent = 0;
        foreach (var chunk in answer.Chunk(size))
        {
            var piece = new string(chunk);
            firstToken ??= stopwatch.Elapsed;
            sent += piece.Length;
        }

        var total = stopwatch.Elapsed;
        return firstToken is { } ttft && sent == answer.Length && isExpected(answer)
            ? Sample.Ok(ttft, total)
            : Sample.Failed(total, $"unexpected answer: '{answer}'");
    }

    private static (string? Answer, string? Error) ParseResult(string stdout, string stderr, int exitCode)
    {
        try
        {
            using var json = JsonDocument.Parse(stdout);
            var root = json.RootElement;
            var isError = root.TryGetProperty("is_error", out var flag) && flag.ValueKind == JsonValueKind.True;
            var result = root.TryGetProperty("result", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            return isError || result is null || exitCode != 0
                ? (null, $"exit {exitCode}, is_error {isError}: {result ?? stdout}")
                : (result, null);
        }
        catch (JsonException)
        {
            return (null, $"exit {exitCode}, not JSON on stdout: '{stdout.Trim()}' stderr: '{stderr.Trim()}'");
        }
    }
}
