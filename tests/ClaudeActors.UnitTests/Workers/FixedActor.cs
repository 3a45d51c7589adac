using Akka.Actor;
using Akka.Hosting;

namespace ClaudeActors.UnitTests.Workers;

/// <summary>An <see cref="IRequiredActor{TKey}"/> that is a given actor, for specs without Akka.Hosting.</summary>
internal sealed class FixedActor<TKey>(IActorRef actor) : IRequiredActor<TKey>
{
    public IActorRef ActorRef => actor;

    public Task<IActorRef> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(actor);
}
