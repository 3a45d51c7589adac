using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClaudeActors.Testing.FakeUpstream;

/// <summary>
/// A fake Anthropic Messages API on Kestrel (loopback, free port) for tests that run the real Claude Code CLI.
/// </summary>
/// <remarks>
/// <para>
/// <c>POST /v1/messages</c> (any query, e.g. <c>?beta=true</c>) gets a <see cref="FakeReply"/>, chosen in this order:
/// <see cref="Responder"/> (when set and it returns non-null), then the next reply given to <see cref="Enqueue"/>,
/// then <see cref="DefaultReply"/>. <c>POST /v1/messages/count_tokens</c> answers <c>{"input_tokens":N}</c>;
/// anything else gets 404 in the Anthropic error shape. Every request is recorded in <see cref="Requests"/>.
/// </para>
/// <para>
/// <see cref="OpenStreams"/> counts Messages replies still running, and <see cref="OutcomeOf"/> /
/// <see cref="WaitForOutcomeAsync"/> tell how each ended, e.g. <see cref="FakeStreamOutcome.AbortedByClient"/> when the
/// CLI process was killed mid-stream. Disposing the server ends hanging and gated replies.
/// </para>
/// </remarks>
public sealed partial class FakeAnthropicServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly ConcurrentQueue<FakeReply> _queue = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<FakeStreamOutcome>> _outcomes = new();
    private readonly CancellationTokenSource _shutdown = new();
    private WebApplication? _app;
    private TaskCompletionSource _changed = NewSignal();
    private int _openStreams;
    private int _disposed;

    private FakeAnthropicServer()
    {
    }

    /// <summary>Root address, e.g. <c>http://127.0.0.1:41234/</c>; use it as <c>ANTHROPIC_BASE_URL</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Reply used when <see cref="Responder"/> gives none and the queue is empty. Starts as <see cref="FakeReply.DefaultText"/>.</summary>
    public FakeReply DefaultReply { get; set; } = FakeReply.Text(FakeReply.DefaultText);

    /// <summary>Consulted first for every Messages request; return null to fall through to the queue / default.</summary>
    public Func<RecordedRequest, FakeReply?>? Responder { get; set; }

    /// <summary>Snapshot of all requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Snapshot of the <c>POST /v1/messages</c> requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> MessageRequests => [.. Requests.Where(request => request.IsMessages)];

    /// <summary>Number of Messages replies currently being written (streams open, hanging or held at a gate).</summary>
    public int OpenStreams => Volatile.Read(ref _openStreams);

    /// <summary>Number of enqueued replies not consumed yet.</summary>
    public int PendingReplies => _queue.Count;

    /// <summary>Starts a server on <c>127.0.0.1</c> with a free port.</summary>
    public static async Task<FakeAnthropicServer> StartAsync()
    {
        var server = new FakeAnthropicServer();
        try
        {
            await server.StartCoreAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Adds a reply for a later Messages request; replies are consumed in the order given.</summary>
    public void Enqueue(FakeReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        _queue.Enqueue(reply);
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> requests (of any path) have arrived and returns the
    /// <paramref name="count"/>-th one (1-based). Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public Task<RecordedRequest> WaitForRequestAsync(int count, TimeSpan timeout) =>
        WaitForNthAsync(count, timeout, static _ => true, "requests");

    /// <summary>As <see cref="WaitForRequestAsync"/>, counting only <c>POST /v1/messages</c> requests.</summary>
    public Task<RecordedRequest> WaitForMessageRequestAsync(int count, TimeSpan timeout) =>
        WaitForNthAsync(count, timeout, static request => request.IsMessages, "Messages requests");

    /// <summary>Waits until <see cref="OpenStreams"/> equals <paramref name="count"/> (e.g. 0 after a client was killed).</summary>
    public Task WaitForOpenStreamsAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(() => OpenStreams == count, timeout, () => $"{count} open streams (now {OpenStreams})");

    /// <summary>How the reply to a Messages request ended, or null while it is still running (or for other paths).</summary>
    public FakeStreamOutcome? OutcomeOf(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _outcomes.TryGetValue(request.Index, out var outcome) && outcome.Task.IsCompleted
            ? outcome.Task.Result
            : null;
    }

    /// <summary>Waits until the reply to a Messages request has ended and returns how it ended.</summary>
    public async Task<FakeStreamOutcome> WaitForOutcomeAsync(RecordedRequest request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_outcomes.TryGetValue(request.Index, out var outcome))
        {
            throw new ArgumentException($"Request #{request.Index} ({request.Method} {request.Path}) is not a Messages request of this server.", nameof(request));
        }

        try
        {
            return await outcome.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The reply to request #{request.Index} was still running after {timeout}.");
        }
    }

    /// <summary>Stops the server; replies still running end with <see cref="FakeStreamOutcome.ServerStopped"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _shutdown.Dispose();
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            options.Limits.MaxRequestBodySize = null;
            options.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        app.Run(HandleAsync);
        _app = app;
        await app.StartAsync().ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reported no server addresses.");
        var address = addresses.Addresses.First();
        BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    private RecordedRequest Record(Func<int, RecordedRequest> create)
    {
        RecordedRequest request;
        lock (_lock)
        {
            request = create(_requests.Count);
            _requests.Add(request);
            if (request.IsMessages)
            {
                _outcomes[request.Index] = new TaskCompletionSource<FakeStreamOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Pulse();
        return request;
    }

    private FakeReply ChooseReply(RecordedRequest request)
    {
        if (Responder?.Invoke(request) is { } chosen)
        {
            return chosen;
        }

        return _queue.TryDequeue(out var queued) ? queued : DefaultReply;
    }

    private void StreamOpened()
    {
        Interlocked.Increment(ref _openStreams);
        Pulse();
    }

    private void StreamClosed(RecordedRequest request, FakeStreamOutcome outcome)
    {
        // Outcome first, so a test that saw OpenStreams drop can read it.
        _outcomes[request.Index].TrySetResult(outcome);
        Interlocked.Decrement(ref _openStreams);
        Pulse();
    }

    private void Pulse()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private async Task<RecordedRequest> WaitForNthAsync(int count, TimeSpan timeout, Func<RecordedRequest, bool> filter, string what)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        RecordedRequest? found = null;
        await WaitUntilAsync(
            () =>
            {
                var matching = Requests.Where(filter).ToList();
                found = matching.Count >= count ? matching[count - 1] : null;
                return found is not null;
            },
            timeout,
            () => $"{count} {what} (got {Requests.Count(filter)})").ConfigureAwait(false);
        return found!;
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        using var timer = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested)
            {
                throw new TimeoutException($"Fake Anthropic server: waited {timeout} for {describe()}.");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
