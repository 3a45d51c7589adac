using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Streams;
using ClaudeActors.Clustering;
using ClaudeActors.Processes;
using ClaudeActors.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Conversations;

internal static class ConversationHostingExtensions
{
    /// <summary>Shards spread conversations over a cluster's nodes; a fixed number, the same on every node.</summary>
    public const int ShardCount = 100;

    /// <summary>
    /// The conversations: their shard region (idle passivation after the session TTL, a hand-off stop message that
    /// lets a running turn finish) and the node's warm-process cap.
    /// </summary>
    public static AkkaConfigurationBuilder WithConversations(this AkkaConfigurationBuilder builder, IServiceProvider services)
    {
        var conversations = services.GetRequiredService<ConversationServices>();
        var options = services.GetRequiredService<IOptions<SessionOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<WarmProcessCap>();
        builder.WithActors((system, registry) =>
        {
            var cap = system.ActorOf(WarmProcessCap.Props(options.MaxWarmProcesses, time, logger), "warm-process-cap");
            registry.Register<WarmProcessCap>(cap);
            conversations.Attach(system.Materializer(namePrefix: "turns"), cap);
        });
        builder.WithShardRegion<ConversationRegion>(
            "conversation",
            id => ConversationActor.Props(id, conversations),
            new ConversationMessageExtractor(ShardCount),
            new ShardOptions
            {
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                HandOffStopMessage = StopConversation.Instance,
                PassivateIdleEntityAfter = TimeSpan.FromSeconds(options.TtlSeconds),
            });
        builder.WithActors((system, registry) =>
        {
            conversations.AttachRegion(
                registry.Get<ConversationRegion>(),
                registry.TryGet<StandbyProcesses>(out var standby) ? standby : ActorRefs.Nobody);
            system.ActorOf(NodeStats.Props(registry.Get<ConversationRegion>(), registry.Get<WarmProcessCap>()), NodeStats.Name);
        });
        return builder;
    }
}
