using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ClaudeActors.Cli.Protocol;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Cli.Process;

/// <summary>
/// One running CLI process in stream-json mode: user messages and control requests go in on stdin, parsed events
/// come out of <see cref="Events"/>. Disposing kills the process and its children if they still run.
/// </summary>
internal sealed partial class ClaudeProcess : IAsyncDisposable
{
    private const int StderrTailLength = 8 * 1024;
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    private readonly System.Diagnostics.Process _process;
    private readonly Channel<CliEvent> _events = Channel.CreateBounded<CliEvent>(
        new BoundedChannelOptions(512) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _reportedCostUsd;
    private readonly CancellationTokenSource _stop = new();
    private readonly string? _systemPromptFile;
    private readonly ILogger _logger;
    private int _requestCounter;
    private bool _inputClosed;

    private ClaudeProcess(System.Diagnostics.Process process, string? systemPromptFile, ILogger logger, Tools.ClientToolServer? toolServer)
    {
        _process = process;
        ToolServer = toolServer;
        _systemPromptFile = systemPromptFile;
        _logger = logger;
        ProcessId = process.Id;
    }

    /// <summary>The in-process MCP server of the client's functions, when the process was started with some.</summary>
    public Tools.ClientToolServer? ToolServer { get; }

    /// <summary>The operating system's id of the process (kept after it has exited and been disposed).</summary>
    public int ProcessId { get; }

    /// <summary>Parsed stdout events; the channel completes when stdout closes.</summary>
    public ChannelReader<CliEvent> Events => _events.Reader;

    /// <summary>Completes with the exit code once the process has exited and its output was read.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The last few kilobytes the process wrote to stderr.</summary>
    public string StandardErrorTail
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Whether an inherited environment variable is the server's own setting, which the CLI's processes do not get: the
    /// second seed gateway's <c>API_KEY</c>, every <c>ClaudeActors__...</c> (API keys, the journal's connection string)
    /// and .NET's <c>ConnectionStrings__...</c>. (Not isolation: a process of the same user can read the server's.)
    /// </summary>
    internal static bool IsServerSecret(string name) =>
        string.Equals(name, "API_KEY", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ClaudeActors__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts the CLI. Throws <see cref="CliNotFoundException"/> when the binary cannot be started.</summary>
    public static ClaudeProcess Start(CliOptions options, string workingDirectory, CliLaunchSpec spec, ILogger logger)
    {
        string? systemPromptFile = null;
        if (spec.SystemPrompt is not null && options.SystemPromptMode != SystemPromptMode.Conversation)
        {
            // In the process's own temp folder (private to the server, removed with it) when it has one.
            var folder = spec.Environment.TryGetValue("CLAUDE_CODE_TMPDIR", out var own) ? own : Path.GetTempPath();
            systemPromptFile = WritePrivateTempFile(folder, spec.SystemPrompt);
        }

        var info = new ProcessStartInfo(options.BinaryPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
        };
        foreach (var arg in CliArguments.Build(options, spec, systemPromptFile))
        {
            info.ArgumentList.Add(arg);
        }

        // The server's own settings (API keys, connection strings) are not the CLI's business: a model with tools could
        // print its environment.
        foreach (var name in info.Environment.Keys.Where(IsServerSecret).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["CLAUDE_CODE_MAX_RETRIES"] = options.EffectiveCliMaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // After a broken stream the CLI would ask again without streaming and answer with other text than it had
        // streamed; with the fallback off the turn fails instead and the supervisor decides whether to retry.
        info.Environment["CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK"] = "1";
        foreach (var (name, value) in options.Environment)
        {
            info.Environment[name] = value;
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        var process = new System.Diagnostics.Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            DeleteQuietly(systemPromptFile);
            throw new CliNotFoundException(options.BinaryPath, ex);
        }

        var cli = new ClaudeProcess(process, systemPromptFile, logger, spec.ClientTools.Count > 0 ? new Tools.ClientToolServer(spec.ClientTools) : null);
        Log.Started(logger, process.Id, spec.Model ?? "(default)", spec.ResumeSessionId ?? spec.NewSessionId ?? "(none)");

        // The process outlives the request that started it: its readers, and their log lines, carry no request's context.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(cli.ReadStdoutAsync);
            _ = Task.Run(cli.ReadStderrAsync);
        }

        return cli;
    }

    /// <summary>Sends one user message; the CLI answers it as a turn (or queues it behind the running one).</summary>
    public Task SendUserMessageAsync(IReadOnlyList<CliContentBlock> content, CancellationToken cancellationToken) =>
        WriteLineAsync(StreamJsonWriter.UserMessage(content), cancellationToken);

    /// <summary>
    /// Sends a turn's prompt (and with <paramref name="closeInput"/> ends the input after it). A process that died
    /// meanwhile is not an error here: reading its output reports how it ended.
    /// </summary>
    public async Task SendPromptAsync(IReadOnlyList<CliContentBlock> content, bool closeInput, CancellationToken cancellationToken)
    {
        try
        {
            await SendUserMessageAsync(content, cancellationToken).ConfigureAwait(false);
            if (closeInput)
            {
                await CloseInputAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // Gone: its output says why.
        }
    }

    /// <summary>Asks the CLI to end the running turn; the process stays usable. Returns the request id.</summary>
    public async Task<string> SendInterruptAsync(CancellationToken cancellationToken)
    {
        var id = NextRequestId();
        await WriteLineAsync(StreamJsonWriter.ControlRequest(id, "interrupt"), cancellationToken).ConfigureAwait(false);
        return id;
    }

    private string NextRequestId() =>
        "req_" + Interlocked.Increment(ref _requestCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<CliEvent> ReadEventAsync(string command, CancellationToken cancellationToken)
    {
        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_events.Reader.TryRead(out var ev))
            {
                return ev;
            }
        }

        throw new CliProtocolException($"The CLI process ended during {command}: {StandardErrorTail}");
    }

    /// <summary>
    /// The cost of the turn that ended in <paramref name="result"/>: the CLI reports a running total for the process
    /// (<c>total_cost_usd</c>, since it started or since its last <c>/clear</c>), so a turn's own cost is that total
    /// less the one its previous result reported. Null when the result has no cost.
    /// </summary>
    public double? TurnCostUsd(CliResult result)
    {
        if (result.TotalCostUsd is not { } total)
        {
            return null;
        }

        var before = _reportedCostUsd;
        _reportedCostUsd = total;

        // A total below the last one means the CLI started counting afresh.
        return total >= before ? total - before : total;
    }

    /// <summary>
    /// Resets the conversation of an idle process with the host's <c>/clear</c>: reads on until the reset's (empty)
    /// result and returns the new CLI session id. The process then serves a fresh conversation. Anything else (the
    /// process ends, an error result, an upstream call, no reset) throws <see cref="CliProtocolException"/>, and a
    /// cancelled <paramref name="cancellationToken"/> (the caller's time-out) throws too: the caller kills the process.
    /// Only one reader may read <see cref="Events"/> at a time; the caller owns the process while this runs.
    /// </summary>
    public async Task<string> RecycleAsync(CancellationToken cancellationToken)
    {
        await WriteLineAsync(StreamJsonWriter.ClearCommand(), cancellationToken).ConfigureAwait(false);
        var reset = false;
        string? sessionId = null;
        while (true)
        {
            var ev = await ReadEventAsync("reset", cancellationToken).ConfigureAwait(false);
            switch (ev)
            {
                case CliConversationReset:
                    reset = true;
                    break;
                case CliInit init when reset:
                    sessionId = init.SessionId;
                    break;
                case CliResult result when reset && sessionId is not null && !result.IsError:
                    // /clear starts the running total afresh.
                    _reportedCostUsd = result.TotalCostUsd ?? 0;
                    return string.IsNullOrEmpty(result.SessionId) ? sessionId : result.SessionId;
                case CliResult result:
                    throw new CliProtocolException(
                        $"The CLI answered /clear with a {(result.IsError ? "failed" : "plain")} result instead of a reset: {result.Result}");
                case CliTextDelta or CliAssistantMessage or CliApiRetry:
                    throw new CliProtocolException("The CLI called the upstream while it should have reset its conversation.");
            }
        }
    }

    /// <summary>
    /// Switches the model of an idle process (<c>set_model</c>; null goes back to the default) and waits for the CLI's
    /// answer. A refusal, or the process ending, throws <see cref="CliProtocolException"/>.
    /// </summary>
    public Task SetModelAsync(string? model, CancellationToken cancellationToken)
    {
        var id = NextRequestId();
        return ControlAsync(id, StreamJsonWriter.SetModelRequest(id, model), $"switch the model to {model ?? "the default"}", cancellationToken);
    }

    /// <summary>
    /// The stream-json handshake (<c>initialize</c>, as the Agent SDKs send first): answered once the CLI is up, and it
    /// changes nothing in the process's conversation or settings. A refusal, or the process ending, throws
    /// <see cref="CliProtocolException"/>.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        var id = NextRequestId();
        return ControlAsync(id, StreamJsonWriter.ControlRequest(id, "initialize"), "initialize", cancellationToken);
    }

    /// <summary>Sends a control request to an idle process and waits for its answer.</summary>
    private async Task ControlAsync(string id, string line, string what, CancellationToken cancellationToken)
    {
        await WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            switch (await ReadEventAsync(what, cancellationToken).ConfigureAwait(false))
            {
                case CliControlResponse response when response.RequestId == id:
                    if (!response.Success)
                    {
                        throw new CliProtocolException($"The CLI refused to {what}: {response.Error}");
                    }

                    return;
                case CliResult or CliTextDelta or CliAssistantMessage:
                    throw new CliProtocolException($"The CLI ran a turn while it should {what}.");
            }
        }
    }

    /// <summary>Closes stdin: the running turn finishes and the process exits.</summary>
    public async Task CloseInputAsync()
    {
        await _stdinLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_inputClosed)
            {
                _inputClosed = true;
                _process.StandardInput.Close();
            }
        }
        catch (IOException)
        {
            // The process is gone already.
        }
        finally
        {
            _stdinLock.Release();
        }
    }

    /// <summary>Kills the process and every child it started, at once.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                Log.Killed(_logger, _process.Id);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        catch (Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>Closes stdin, waits up to <paramref name="grace"/> for the process to exit, then kills it.</summary>
    public async Task ShutdownAsync(TimeSpan grace)
    {
        await CloseInputAsync().ConfigureAwait(false);
        try
        {
            await _exited.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The reader is stuck on a pipe a grandchild keeps open; nothing more to wait for.
        }

        DeleteQuietly(_systemPromptFile);
        _process.Dispose();
        _stop.Dispose();
        _stdinLock.Dispose();
    }

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _stdinLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_inputClosed || _exited.Task.IsCompleted)
            {
                throw new IOException("The CLI process no longer reads its input.");
            }

            var stdin = _process.StandardInput;
            await stdin.WriteAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _stdinLock.Release();
        }
    }

    private async Task ReadStdoutAsync()
    {
        try
        {
            var reader = _process.StandardOutput;
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                if (StreamJsonParser.Parse(line) is { } ev)
                {
                    if (ev is CliControlRequest { Subtype: "mcp_message" } mcp && ToolServer is not null)
                    {
                        // Answered here, whoever reads the events: the CLI asks at start-up too, before any turn.
                        _ = AnswerMcpAsync(mcp);
                        continue;
                    }

                    await _events.Writer.WriteAsync(ev, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (IOException)
        {
            // The pipe broke with the process.
        }
        finally
        {
            await WaitForExitQuietlyAsync().ConfigureAwait(false);
            _events.Writer.TryComplete();
            var code = _process.HasExited ? _process.ExitCode : -1;
            Log.Exited(_logger, _process.Id, code);
            _exited.TrySetResult(code);
        }
    }

    private async Task AnswerMcpAsync(CliControlRequest request)
    {
        try
        {
            if (!request.Request.TryGetProperty("message", out var message))
            {
                return;
            }

            var response = await ToolServer!.HandleAsync(message, _stop.Token).ConfigureAwait(false);
            await WriteLineAsync(StreamJsonWriter.McpResponse(request.RequestId, response), _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposed while the CLI waited on a tool's result.
        }
        catch (IOException)
        {
            // Gone.
        }
    }

    private async Task WaitForExitQuietlyAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
    }

    private async Task ReadStderrAsync()
    {
        try
        {
            var buffer = new char[1024];
            int read;
            while ((read = await _process.StandardError.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
            {
                lock (_stderr)
                {
                    _stderr.Append(buffer, 0, read);
                    if (_stderr.Length > StderrTailLength)
                    {
                        _stderr.Remove(0, _stderr.Length - StderrTailLength);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static string WritePrivateTempFile(string folder, string content)
    {
        var path = Path.Combine(folder, "claude-actors-system-" + Guid.NewGuid().ToString("N") + ".txt");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, Utf8NoBom);
        writer.Write(content);
        return path;
    }

    private static void DeleteQuietly(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Started CLI process {ProcessId} (model {Model}, session {SessionId})")]
        public static partial void Started(ILogger logger, int processId, string model, string sessionId);

        [LoggerMessage(2, LogLevel.Debug, "CLI process {ProcessId} exited with code {ExitCode}")]
        public static partial void Exited(ILogger logger, int processId, int exitCode);

        [LoggerMessage(3, LogLevel.Debug, "Killed CLI process tree {ProcessId}")]
        public static partial void Killed(ILogger logger, int processId);
    }
}
