using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ClaudeActors.Testing.Cli;
using ClaudeActors.Testing.FakeUpstream;

namespace ClaudeActors.IntegrationTests.Rig;

/// <summary>
/// Proves the test rig: the real Claude Code CLI, run directly as a process (no gateway), against
/// <see cref="FakeAnthropicServer"/>. Each test has its own fake server and its own CLAUDE_CONFIG_DIR.
/// </summary>
public sealed class FakeUpstreamWithRealCliTests
{
    /// <summary>A 1x1 PNG.</summary>
    private const string OnePixelPng =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    /// <summary>Only a limit for a hung run, never a measure: a CLI run takes about a second.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Streamed_text_arrives_as_text_deltas_and_the_result_carries_the_scripted_usage()
    {
        await using var rig = await Rig.StartAsync();
        rig.Server.Enqueue(FakeReply.Text("Hello there, friend!", chunkCount: 4, usage: new FakeUsage(21, 9, 5, 3)));

        await using var run = await rig.RunToEndAsync("hi");

        var deltas = run.TextDeltas();
        Assert.Equal(4, deltas.Count);
        Assert.Equal("Hello there, friend!", string.Concat(deltas));
        var result = run.Result();
        Assert.False(result.GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal("Hello there, friend!", result.GetProperty("result").GetString());
        var usage = result.GetProperty("usage");
        Assert.Equal(21, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(9, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(FakeStreamOutcome.Completed, rig.Server.OutcomeOf(Assert.Single(rig.Server.MessageRequests)));
    }

    [Fact]
    public async Task The_recorded_upstream_request_carries_the_prompt_model_effort_and_system_prompt()
    {
        await using var rig = await Rig.StartAsync();

        await using var run = await rig.RunToEndAsync(
            "What is the capital of France?",
            extraArguments: ["--model", "claude-fake-model-1", "--effort", "low", "--system-prompt", "You are terse."]);

        Assert.False(run.Result().GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal(FakeReply.DefaultText, run.Result().GetProperty("result").GetString());
        var request = Assert.Single(rig.Server.MessageRequests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.True(request.IsStreaming);
        Assert.Equal("What is the capital of France?", request.LastUserText);
        Assert.Equal(["user"], request.MessageRoles);
        Assert.Equal("claude-fake-model-1", request.Model);
        Assert.Equal("low", request.OutputEffort);
        Assert.Contains("You are terse.", request.SystemText, StringComparison.Ordinal);
        Assert.Empty(request.ToolNames);
        Assert.False(request.HasImage);
        Assert.Equal(ClaudeCliEnvironment.FakeApiKey, request.Header("x-api-key"));
    }

    [Fact]
    public async Task An_image_block_on_stdin_reaches_the_upstream_as_an_image()
    {
        await using var rig = await Rig.StartAsync();
        var content = new JsonArray(
            new JsonObject { ["type"] = "text", ["text"] = "What is in this picture?" },
            new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = OnePixelPng },
            });

        await using var run = await rig.RunToEndAsync(content);

        Assert.False(run.Result().GetProperty("is_error").GetBoolean(), run.Describe());
        var request = Assert.Single(rig.Server.MessageRequests);
        Assert.True(request.HasImage);
        Assert.Equal("What is in this picture?", request.LastUserText);
    }

    [Fact]
    public async Task An_upstream_529_with_no_retries_gives_an_error_result_with_api_error_status_529()
    {
        await using var rig = await Rig.StartAsync();
        rig.Server.Enqueue(FakeReply.Overloaded("Overloaded").WithRetryAfter(0));

        await using var run = await rig.RunToEndAsync("hi", extraEnvironment: new() { ["CLAUDE_CODE_MAX_RETRIES"] = "0" });

        var result = run.Result();
        Assert.True(result.GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal(529, result.GetProperty("api_error_status").GetInt32());
        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(rig.Server.MessageRequests);
    }

    [Fact]
    public async Task A_prompt_too_long_for_the_model_gives_an_error_result_with_api_error_status_400()
    {
        await using var rig = await Rig.StartAsync();
        rig.Server.DefaultReply = FakeReply.PromptTooLong();

        await using var run = await rig.RunToEndAsync("hi", extraEnvironment: new() { ["CLAUDE_CODE_MAX_RETRIES"] = "0" });

        // The CLI names the cause in terminal_reason and keeps the upstream's status; its text is its own.
        var result = run.Result();
        Assert.True(result.GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal(400, result.GetProperty("api_error_status").GetInt32());
        Assert.Equal("invalid_request_error", result.GetProperty("api_error_type").GetString());
        Assert.Equal("prompt_too_long", result.GetProperty("terminal_reason").GetString());
        Assert.StartsWith("Prompt is too long", result.GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.Single(rig.Server.MessageRequests);
    }

    [Fact]
    public async Task A_conversation_too_long_for_the_model_is_compacted_in_vain_then_ends_with_prompt_too_long()
    {
        await using var rig = await Rig.StartAsync();
        await using var cli = rig.Start(extraEnvironment: new() { ["CLAUDE_CODE_MAX_RETRIES"] = "0" });
        foreach (var text in (string[])["first", "second"])
        {
            await cli.SendUserTextAsync(text);
            await ReadResultAsync(cli);
        }

        rig.Server.DefaultReply = FakeReply.PromptTooLong();
        await cli.SendUserTextAsync("third");
        var result = await ReadResultAsync(cli);

        Assert.True(result.GetProperty("is_error").GetBoolean(), cli.Describe());
        Assert.Equal(400, result.GetProperty("api_error_status").GetInt32());
        Assert.Equal("prompt_too_long", result.GetProperty("terminal_reason").GetString());
        Assert.StartsWith("Prompt is too long", result.GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.Contains(cli.Lines, line => line.TryGetProperty("compact_result", out var compact) && compact.GetString() == "failed");
    }

    [Fact]
    public async Task A_broken_stream_whose_non_streaming_fallback_also_breaks_gives_an_error_result()
    {
        await using var rig = await Rig.StartAsync();
        rig.Server.DefaultReply = FakeReply.BrokenStream("Partial answer");

        await using var run = await rig.RunToEndAsync("hi", extraEnvironment: new() { ["CLAUDE_CODE_MAX_RETRIES"] = "0" });

        var result = run.Result();
        Assert.True(result.GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal("api_error", result.GetProperty("terminal_reason").GetString());
        Assert.NotEqual(0, run.ExitCode);
        var requests = rig.Server.MessageRequests;
        Assert.Equal([true, false], requests.Select(request => request.IsStreaming));
        Assert.All(requests, request => Assert.Equal(FakeStreamOutcome.AbortedByServer, rig.Server.OutcomeOf(request)));
    }

    [Fact]
    public async Task A_broken_stream_is_retried_once_without_streaming_and_its_partial_text_is_marked_abandoned()
    {
        // Pins CLI behaviour the gateway must handle: text deltas of the broken attempt were already printed,
        // then a message_stop stream_event carrying "abandoned_blocks", then the answer of a non-streaming retry
        // (even with CLAUDE_CODE_MAX_RETRIES=0), which arrives as an assistant message with no text deltas.
        await using var rig = await Rig.StartAsync();
        rig.Server.Enqueue(FakeReply.BrokenStream("Partial answer"));
        rig.Server.Enqueue(FakeReply.Text("Recovered."));

        await using var run = await rig.RunToEndAsync("hi", extraEnvironment: new() { ["CLAUDE_CODE_MAX_RETRIES"] = "0" });

        var result = run.Result();
        Assert.False(result.GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal("Recovered.", result.GetProperty("result").GetString());
        Assert.Equal("Partial answer", string.Concat(run.TextDeltas()));
        Assert.Contains(run.Lines, line => line.GetProperty("type").GetString() == "stream_event"
            && line.GetProperty("event").GetProperty("type").GetString() == "message_stop"
            && line.TryGetProperty("abandoned_blocks", out _));
        var requests = rig.Server.MessageRequests;
        Assert.Equal([true, false], requests.Select(request => request.IsStreaming));
        Assert.Equal("hi", requests[1].LastUserText);
    }

    [Fact]
    public async Task An_sse_error_event_mid_stream_with_a_failing_fallback_gives_an_error_result_with_its_status()
    {
        // The non-streaming fallback request gets the same reply: HTTP 529 with the error body.
        await using var rig = await Rig.StartAsync();
        rig.Server.DefaultReply = FakeReply.SseError("overloaded_error", "Overloaded", textBefore: "Partial answer");

        await using var run = await rig.RunToEndAsync("hi", extraEnvironment: new() { ["CLAUDE_CODE_MAX_RETRIES"] = "0" });

        var result = run.Result();
        Assert.True(result.GetProperty("is_error").GetBoolean(), run.Describe());
        Assert.Equal(529, result.GetProperty("api_error_status").GetInt32());
        Assert.Equal("overloaded_error", result.GetProperty("api_error_type").GetString());
    }

    /// <summary>The next result line (lines read before are not seen again).</summary>
    private static Task<JsonElement> ReadResultAsync(CliProcess cli) =>
        cli.ReadUntilAsync(line => line.GetProperty("type").GetString() == "result", Generous);

    [Fact]
    public async Task Text_before_a_gate_reaches_the_cli_output_while_the_stream_is_held()
    {
        await using var rig = await Rig.StartAsync();
        var gate = new FakeGate();
        rig.Server.Enqueue(FakeReply.Gated("Before the gate. ", "After the gate.", gate));

        await using var cli = rig.Start();
        await cli.SendUserTextAsync("hi");
        await gate.WaitUntilReachedAsync(Generous);
        var firstDelta = await cli.ReadUntilAsync(IsTextDelta, Generous);
        Assert.Equal("Before the gate. ", DeltaText(firstDelta));
        Assert.DoesNotContain(cli.Lines, line => line.GetProperty("type").GetString() == "result");

        gate.Release();
        cli.CloseInput();
        var result = await cli.ReadUntilAsync(line => line.GetProperty("type").GetString() == "result", Generous);
        Assert.Equal("Before the gate. After the gate.", result.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Killing_the_cli_mid_stream_ends_the_upstream_call_as_aborted_by_the_client()
    {
        await using var rig = await Rig.StartAsync();
        rig.Server.Enqueue(FakeReply.Hang("Thinking about it"));

        await using var cli = rig.Start();
        await cli.SendUserTextAsync("hi");
        var request = await rig.Server.WaitForMessageRequestAsync(1, Generous);
        await cli.ReadUntilAsync(IsTextDelta, Generous);
        Assert.Equal(1, rig.Server.OpenStreams);

        cli.Kill();

        Assert.Equal(FakeStreamOutcome.AbortedByClient, await rig.Server.WaitForOutcomeAsync(request, Generous));
        await rig.Server.WaitForOpenStreamsAsync(0, Generous);
    }

    private static bool IsTextDelta(JsonElement line) =>
        line.GetProperty("type").GetString() == "stream_event"
        && line.GetProperty("event").GetProperty("type").GetString() == "content_block_delta"
        && line.GetProperty("event").GetProperty("delta").GetProperty("type").GetString() == "text_delta";

    private static string DeltaText(JsonElement line) =>
        line.GetProperty("event").GetProperty("delta").GetProperty("text").GetString() ?? "";

    /// <summary>One fake upstream plus a private temp folder (CLAUDE_CONFIG_DIR and working directory) for one test.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly DirectoryInfo _root;

        private Rig(FakeAnthropicServer server, DirectoryInfo root)
        {
            Server = server;
            _root = root;
        }

        public FakeAnthropicServer Server { get; }

        public static async Task<Rig> StartAsync()
        {
            var server = await FakeAnthropicServer.StartAsync();
            var root = Directory.CreateTempSubdirectory("ca-rig-");
            root.CreateSubdirectory("config");
            root.CreateSubdirectory("work");
            root.CreateSubdirectory("tmp");
            return new Rig(server, root);
        }

        public CliProcess Start(IReadOnlyList<string>? extraArguments = null, Dictionary<string, string>? extraEnvironment = null)
        {
            var environment = new Dictionary<string, string>(
                ClaudeCliEnvironment.For(Server.BaseUrl, Path.Combine(_root.FullName, "config")));
            // The CLI writes scratch files (saved images, probes, sockets) under $TMPDIR/claude-<uid>; keep them in the test's folder.
            environment["TMPDIR"] = Path.Combine(_root.FullName, "tmp");
            foreach (var (name, value) in extraEnvironment ?? [])
            {
                environment[name] = value;
            }

            string[] arguments =
            [
                "-p", "--output-format", "stream-json", "--verbose", "--input-format", "stream-json",
                "--include-partial-messages", "--tools", "", .. extraArguments ?? [],
            ];
            return CliProcess.Start(arguments, environment, Path.Combine(_root.FullName, "work"));
        }

        /// <summary>Sends one user message, closes stdin, and waits for the process to exit.</summary>
        public Task<CliProcess> RunToEndAsync(
            string prompt,
            IReadOnlyList<string>? extraArguments = null,
            Dictionary<string, string>? extraEnvironment = null) =>
            RunToEndAsync(new JsonArray(new JsonObject { ["type"] = "text", ["text"] = prompt }), extraArguments, extraEnvironment);

        public async Task<CliProcess> RunToEndAsync(
            JsonArray content,
            IReadOnlyList<string>? extraArguments = null,
            Dictionary<string, string>? extraEnvironment = null)
        {
            var cli = Start(extraArguments, extraEnvironment);
            try
            {
                await cli.SendUserContentAsync(content);
                cli.CloseInput();
                await cli.WaitForExitAsync(Generous);
                return cli;
            }
            catch
            {
                await cli.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            try
            {
                _root.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A CLI still shutting down may hold a file; the temp folder is left behind.
            }
        }
    }

    /// <summary>A running CLI process: stdin lines in, parsed stdout JSON lines out.</summary>
    private sealed class CliProcess : IAsyncDisposable
    {
        private static readonly string[] InheritedVariablesToDrop =
        [
            "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_MODEL", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX",
            "CLAUDE_CODE_MAX_RETRIES", "CLAUDE_CODE_OAUTH_TOKEN",
        ];

        private readonly Process _process;
        private readonly Lock _lock = new();
        private readonly List<JsonElement> _lines = [];
        private readonly StringBuilder _stderr = new();
        private readonly Channel<JsonElement> _channel = Channel.CreateUnbounded<JsonElement>();
        private readonly Task _stdoutPump;

        private CliProcess(Process process)
        {
            _process = process;
            _process.ErrorDataReceived += (_, e) =>
            {
                lock (_lock)
                {
                    _stderr.AppendLine(e.Data);
                }
            };
            _process.BeginErrorReadLine();
            _stdoutPump = Task.Run(PumpStdoutAsync);
        }

        public int ExitCode => _process.ExitCode;

        public IReadOnlyList<JsonElement> Lines
        {
            get
            {
                lock (_lock)
                {
                    return [.. _lines];
                }
            }
        }

        public static CliProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
        {
            var startInfo = new ProcessStartInfo(ClaudeCliInstall.ExecutablePath)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            foreach (var name in InheritedVariablesToDrop)
            {
                startInfo.Environment.Remove(name);
            }

            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }

            var process = Process.Start(startInfo) ?? throw new InvalidOperationException("The CLI process did not start.");
            return new CliProcess(process);
        }

        public Task SendUserTextAsync(string text) =>
            SendUserContentAsync(new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }));

        public async Task SendUserContentAsync(JsonArray content)
        {
            var line = new JsonObject
            {
                ["type"] = "user",
                ["message"] = new JsonObject { ["role"] = "user", ["content"] = content },
            };
            await _process.StandardInput.WriteLineAsync(line.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }

        public void CloseInput() => _process.StandardInput.Close();

        public void Kill() => _process.Kill(entireProcessTree: true);

        /// <summary>Reads stdout lines until one matches and returns it; lines read by earlier calls are not seen again.</summary>
        public async Task<JsonElement> ReadUntilAsync(Func<JsonElement, bool> match, TimeSpan timeout)
        {
            using var timer = new CancellationTokenSource(timeout);
            try
            {
                await foreach (var line in _channel.Reader.ReadAllAsync(timer.Token))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching CLI output line within {timeout}.\n{Describe()}");
            }

            throw new InvalidOperationException($"The CLI ended its output without a matching line.\n{Describe()}");
        }

        public async Task WaitForExitAsync(TimeSpan timeout)
        {
            using var timer = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(timer.Token);
                await _stdoutPump.WaitAsync(timer.Token);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested)
            {
                throw new TimeoutException($"The CLI did not exit within {timeout}.\n{Describe()}");
            }
        }

        public IReadOnlyList<string> TextDeltas() => [.. Lines.Where(IsTextDelta).Select(DeltaText)];

        public JsonElement Result()
        {
            var results = Lines.Where(line => line.GetProperty("type").GetString() == "result").ToList();
            Assert.True(results.Count == 1, $"Expected one result line.\n{Describe()}");
            return results[0];
        }

        public string Describe()
        {
            lock (_lock)
            {
                var stdout = string.Join("\n", _lines.Select(line => line.GetRawText()));
                return $"--- CLI stdout (JSON lines) ---\n{stdout}\n--- CLI stderr ---\n{_stderr}";
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private async Task PumpStdoutAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } text)
            {
                if (!text.StartsWith('{'))
                {
                    continue;
                }

                using var document = JsonDocument.Parse(text);
                var line = document.RootElement.Clone();
                lock (_lock)
                {
                    _lines.Add(line);
                }

                _channel.Writer.TryWrite(line);
            }

            _channel.Writer.TryComplete();
        }
    }
}
