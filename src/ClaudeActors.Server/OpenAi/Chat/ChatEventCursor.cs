using ClaudeActors.Chat;
using ClaudeActors.Server.Hosting;

namespace ClaudeActors.Server.OpenAi.Chat;

/// <summary>
/// Reads a turn's events for the HTTP layer: waits for the first piece of the answer before the response is committed
/// (so a failure before it still gets a proper status), remembers the model the CLI reported, and hands failures back
/// as values so an SSE writer can put them on the wire. A turn cancelled because the server stops
/// (<paramref name="serverStopping"/>) is such a failure too.
/// </summary>
internal sealed partial class ChatEventCursor(
    IAsyncEnumerable<ChatEvent> events, string requestedModel, ILogger logger, CancellationToken serverStopping, CancellationToken cancellationToken)
    : IAsyncDisposable
{
    private readonly IAsyncEnumerator<ChatEvent> _events = events.GetAsyncEnumerator(cancellationToken);
    private ChatEvent? _primed;
    private int _disposed;

    /// <summary>The conversation this turn belongs to, once the session actor said so.</summary>
    public ChatSessionInfo? Session { get; private set; }

    /// <summary>The subscription's rate-limit state the CLI last reported during this turn, or null.</summary>
    public ChatRateLimit? RateLimit { get; private set; }

    /// <summary>Told of each rate-limit state the CLI reports (such events are not passed on as part of the answer).</summary>
    public Action<ChatRateLimit>? RateLimited { get; init; }

    /// <summary>
    /// The model the CLI said it uses (the fallback model once it fell back: <see cref="ChatModelFallback"/>), else the one
    /// the client asked for.
    /// </summary>
    public string Model { get; private set; } = string.IsNullOrEmpty(requestedModel) ? "default" : requestedModel;

    /// <summary>The fallback model the CLI switched to (<see cref="ChatModelFallback"/>), or null while the requested one answers.</summary>
    public string? FallbackModel { get; private set; }

    /// <summary>Reads up to the first text delta or completion. Throws the turn's <see cref="ChatFailure"/> if it fails first.</summary>
    public async Task PrimeAsync()
    {
        while (_primed is null && await MoveNextAsync().ConfigureAwait(false))
        {
            if (NotesModel(_events.Current))
            {
                continue;
            }

            if (_events.Current is ChatSessionInfo session)
            {
                Session = session;
                continue;
            }

            _primed = _events.Current;
        }
    }

    /// <summary>The next event (null at the end), or the failure the turn ended in.</summary>
    public async Task<(ChatEvent? Event, ChatFailure? Failure)> NextAsync()
    {
        if (_primed is { } primed)
        {
            _primed = null;
            return (primed, null);
        }

        try
        {
            if (!await MoveNextAsync().ConfigureAwait(false))
            {
                return (null, null);
            }

            NotesModel(_events.Current);
            return (_events.Current, null);
        }
        catch (ChatFailure failure)
        {
            return (null, failure);
        }
    }

    /// <summary>Takes the model from an event that names it (<see cref="ChatStarted"/>, <see cref="ChatModelFallback"/>); false for others.</summary>
    private bool NotesModel(ChatEvent ev)
    {
        switch (ev)
        {
            case ChatStarted started:
                Model = started.Model ?? Model;
                return true;
            case ChatModelFallback fallback:
                Model = FallbackModel = fallback.Model;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Ends the turn if it still runs (its worker goes back to the pool); safe to call more than once.</summary>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? _events.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>
    /// Moves on; a failure that is not a <see cref="ChatFailure"/> (a bug, a broken disk) is logged and becomes an
    /// internal one, whose message names no path (its exception's message may).
    /// </summary>
    private async ValueTask<bool> MoveNextAsync()
    {
        try
        {
            var moved = await _events.MoveNextAsync().ConfigureAwait(false);
            while (moved && _events.Current is ChatRateLimit limit)
            {
                RateLimit = limit;
                RateLimited?.Invoke(limit);
                moved = await _events.MoveNextAsync().ConfigureAwait(false);
            }

            return moved;
        }
        catch (OperationCanceledException) when (serverStopping.IsCancellationRequested)
        {
            throw ServerShutdown.Failure();
        }
        catch (Exception ex) when (ex is not ChatFailure and not OperationCanceledException)
        {
            Log.Failed(logger, ex);
            throw new ChatFailure(ChatFailureKind.Internal, "The server failed while answering; the server log has the details.", isTransient: false, inner: ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Error, "A chat turn failed unexpectedly")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
