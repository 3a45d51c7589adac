using ClaudeActors.Conversations;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Journal;

/// <summary>
/// The journal the rest of the server uses: the provider's journal, with every failure of its database or files logged
/// with the provider's own exception (the real cause), recorded in <see cref="JournalHealth"/>, and thrown on as a
/// <see cref="JournalUnavailableException"/> whose reason a client may read. Every write that succeeds tells
/// <see cref="JournalHealth"/> the journal works.
/// </summary>
internal sealed partial class JournalGuard(IConversationJournal inner, JournalHealth health, ILogger<JournalGuard> logger)
    : IConversationJournal, IAsyncDisposable, IDisposable
{
    /// <summary>The provider's journal.</summary>
    public IConversationJournal Inner => inner;

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        WriteAsync(nameof(InitializeAsync), () => inner.InitializeAsync(cancellationToken));

    public Task ProbeAsync(CancellationToken cancellationToken) =>
        WriteAsync(nameof(ProbeAsync), () => inner.ProbeAsync(cancellationToken));

    public Task<ConversationRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(nameof(GetAsync), () => inner.GetAsync(id, cancellationToken));

    public Task<bool> CreateAsync(
        ConversationRecord record, IReadOnlyList<string> transcript, IReadOnlyList<TurnRecord> turns, CancellationToken cancellationToken) =>
        WriteAsync(nameof(CreateAsync), () => inner.CreateAsync(record, transcript, turns, cancellationToken));

    public Task AppendTurnAsync(ConversationRecord updated, TurnRecord turn, IReadOnlyList<string> transcript, CancellationToken cancellationToken) =>
        WriteAsync(nameof(AppendTurnAsync), () => inner.AppendTurnAsync(updated, turn, transcript, cancellationToken));

    public Task AppendTranscriptAsync(string id, IReadOnlyList<string> transcript, CancellationToken cancellationToken) =>
        WriteAsync(nameof(AppendTranscriptAsync), () => inner.AppendTranscriptAsync(id, transcript, cancellationToken));

    public Task UpdateAsync(ConversationRecord updated, CancellationToken cancellationToken) =>
        WriteAsync(nameof(UpdateAsync), () => inner.UpdateAsync(updated, cancellationToken));

    public Task<IReadOnlyList<string>> ReadTranscriptAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(nameof(ReadTranscriptAsync), () => inner.ReadTranscriptAsync(id, cancellationToken));

    public Task<IReadOnlyList<TurnRecord>> ReadTurnsAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(nameof(ReadTurnsAsync), () => inner.ReadTurnsAsync(id, cancellationToken));

    public Task<ConversationPage> ListAsync(int limit, string? after, CancellationToken cancellationToken) =>
        ReadAsync(nameof(ListAsync), () => inner.ListAsync(limit, after, cancellationToken));

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync(nameof(DeleteAsync), () => inner.DeleteAsync(id, cancellationToken));

    public Task<string?> FindByHistoryHashAsync(string historyHash, CancellationToken cancellationToken) =>
        ReadAsync(nameof(FindByHistoryHashAsync), () => inner.FindByHistoryHashAsync(historyHash, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        switch (inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private async Task<T> ReadAsync<T>(string operation, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception ex) when (JournalFaults.IsFault(ex))
        {
            throw Failed(operation, ex);
        }
    }

    private Task WriteAsync(string operation, Func<Task> write) =>
        WriteAsync(operation, async () =>
        {
            await write().ConfigureAwait(false);
            return true;
        });

    private async Task<T> WriteAsync<T>(string operation, Func<Task<T>> write)
    {
        T result;
        try
        {
            result = await write().ConfigureAwait(false);
        }
        catch (Exception ex) when (JournalFaults.IsFault(ex))
        {
            throw Failed(operation, ex);
        }

        health.OnWritten();
        return result;
    }

    private JournalUnavailableException Failed(string operation, Exception exception)
    {
        var reason = JournalFaults.Describe(exception);
        Log.Failed(logger, operation, reason, exception);
        health.OnFailed(reason);
        return new JournalUnavailableException(reason, exception);
    }

    private static partial class Log
    {
        [LoggerMessage(410, LogLevel.Error, "The conversation journal failed ({Operation}): {Reason}")]
        public static partial void Failed(ILogger logger, string operation, string reason, Exception exception);
    }
}
