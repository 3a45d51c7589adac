using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Streams;
using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>One conversation of the <see cref="AkkaStreamPath"/>: an actor of its own, asked for each turn.</summary>
internal sealed class AkkaStreamLane(IActorRef actor, IMaterializer readers, StartOverheadTurn start) : IStreamLane
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    public async IAsyncEnumerable<ChatEvent> TurnAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = await actor.Ask<ISourceRef<ChatEvent>>(start, AskTimeout, cancellationToken);
        await foreach (var ev in events.Source.RunAsAsyncEnumerable(readers).WithCancellation(cancellationToken))
        {
            yield return ev;
        }
    }

    public ValueTask DisposeAsync()
    {
        actor.Tell(PoisonPill.Instance);
        return ValueTask.CompletedTask;
    }
}
