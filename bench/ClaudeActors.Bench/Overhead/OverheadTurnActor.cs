using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>
/// A conversation entity reduced to what <c>ConversationActor.Accept</c> and <c>ConversationTurn</c> do for the stream:
/// materialize a bounded queue into a stream ref, answer the ask with the ref, watch the queue's completion to cancel
/// the turn, and offer each event (waiting for room) from a task that runs off the mailbox.
/// </summary>
internal sealed class OverheadTurnActor : ReceiveActor
{
    public OverheadTurnActor(IMaterializer materializer)
    {
        Receive<StartOverheadTurn>(start => Accept(start, materializer));
    }

    private void Accept(StartOverheadTurn start, IMaterializer materializer)
    {
        var (queue, events) = Source.Queue<ChatEvent>(16, OverflowStrategy.Backpressure)
            .ToMaterialized(StreamRefs.SourceRef<ChatEvent>(), Keep.Both)
            .Run(materializer);
        var cancellation = new CancellationTokenSource();
        var watched = queue.WatchCompletionAsync().ContinueWith(
            static (_, state) => ((CancellationTokenSource)state!).Cancel(),
            cancellation,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        events.PipeTo(Sender);
        _ = ProduceAsync(queue, start.Deltas, watched, cancellation);
    }

    private static async Task ProduceAsync(ISourceQueueWithComplete<ChatEvent> queue, IReadOnlyList<ChatEvent> deltas, Task watched, CancellationTokenSource cancellation)
    {
        try
        {
            foreach (var delta in deltas)
            {
                var result = await queue.OfferAsync(delta).WaitAsync(cancellation.Token);
                if (result is not QueueOfferResult.Enqueued)
                {
                    throw new InvalidOperationException($"The turn's queue did not take an event: {result}.");
                }
            }

            queue.Complete();
        }
        catch (Exception ex)
        {
            queue.Fail(ex);
        }

        await watched;
        cancellation.Dispose();
    }
}
