using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams;
using ClaudeActors.Chat;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Workers;

/// <summary>
/// The caller's side of the worker pool: runs one attempt of a stateless turn on a <see cref="CliWorker"/>. It holds an
/// admission lease from <see cref="WorkerPool"/> for the attempt (a retry, <c>attempt &gt; 0</c>, does not count against the
/// queue), asks the pool with a deadline, and reads the attempt's events from the stream reference the worker answers
/// with; a <see cref="ChatFailed"/> becomes the <see cref="ChatFailure"/> it stands for. Leaving the enumeration early
/// cancels the stream, which ends the turn and kills its process. Used as
/// <c>supervisor.RunAsync((attempt, token) =&gt; client.RunAsync(request, attempt, token), ...)</c>.
/// </summary>
internal sealed class CliWorkerClient(
    WorkerPool pool,
    IRequiredActor<CliWorkerPool> workers,
    ActorSystem system,
    IOptions<WorkerPoolOptions> options,
    TimeProvider time)
{
    private readonly Lazy<IMaterializer> _materializer = new(() => system.Materializer());

    public async IAsyncEnumerable<ChatEvent> RunAsync(ChatTurnRequest request, int attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lease = await pool.AcquireAsync(admitted: attempt > 0, cancellationToken).ConfigureAwait(false);
        var events = await AskAsync(request, cancellationToken).ConfigureAwait(false);
        var completed = false;
        var enumerator = events.Source.RunAsAsyncEnumerable(_materializer.Value).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (await NextAsync(enumerator, cancellationToken).ConfigureAwait(false))
            {
                switch (enumerator.Current)
                {
                    case ChatFailed failed:
                        throw failed.ToException();
                    case ChatCompleted:
                        completed = true;
                        break;
                }

                yield return enumerator.Current;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!completed)
        {
            throw new ChatFailure(ChatFailureKind.ProcessFailed, "The Claude worker's stream ended before the turn did.", isTransient: true);
        }
    }

    private async Task<ISourceRef<ChatEvent>> AskAsync(ChatTurnRequest request, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds(options.Value.QueueTimeoutSeconds);
        var router = await workers.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await router.Ask<ISourceRef<ChatEvent>>(new CliWorker.RunStatelessAttempt(request, time.GetUtcNow() + wait, Telemetry.RequestContext.RequestId), wait, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AskTimeoutException ex)
        {
            throw new ChatFailure(ChatFailureKind.Timeout, "No Claude worker took the request in time.", isTransient: true, inner: ex);
        }
    }

    /// <summary>The next element; a stream that fails (a worker that stopped mid-turn) is a transient process failure.</summary>
    private static async Task<bool> NextAsync(IAsyncEnumerator<ChatEvent> enumerator, CancellationToken cancellationToken)
    {
        try
        {
            return await enumerator.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ChatFailure or OutOfMemoryException) && !cancellationToken.IsCancellationRequested)
        {
            throw new ChatFailure(ChatFailureKind.ProcessFailed, "The Claude worker stopped during the turn.", isTransient: true, inner: ex);
        }
    }
}
