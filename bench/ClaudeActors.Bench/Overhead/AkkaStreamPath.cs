using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using ClaudeActors.Chat;

namespace ClaudeActors.Bench.Overhead;

/// <summary>
/// The new path (this branch): an ask to the conversation's actor, which answers with a stream ref to a queue it offers events to;
/// the caller runs the ref's source as an async enumerable (as <c>ChatService</c> does). A plain local actor system;
/// like the server, the actors and the readers use materializers of their own.
/// </summary>
internal sealed class AkkaStreamPath : IStreamPath
{
    private readonly ActorSystem _system;
    private readonly ActorMaterializer _turns;
    private readonly ActorMaterializer _readers;
    private int _lanes;

    public AkkaStreamPath()
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = local
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            """);
        _system = ActorSystem.Create("overhead", config);
        _turns = _system.Materializer(namePrefix: "turns");
        _readers = _system.Materializer(namePrefix: "chat");
    }

    public string Name => "Akka: ask + stream ref";

    public IStreamLane OpenLane(IReadOnlyList<ChatEvent> deltas)
    {
        var actor = _system.ActorOf(Props.Create(() => new OverheadTurnActor(_turns)), $"conversation-{Interlocked.Increment(ref _lanes)}");
        return new AkkaStreamLane(actor, _readers, new StartOverheadTurn(deltas));
    }

    public async ValueTask DisposeAsync()
    {
        _turns.Dispose();
        _readers.Dispose();
        await _system.Terminate();
    }
}
