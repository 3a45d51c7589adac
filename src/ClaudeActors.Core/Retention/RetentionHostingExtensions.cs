using Akka.Cluster.Hosting;
using Akka.Hosting;
using ClaudeActors.Conversations;
using ClaudeActors.Hosting;
using ClaudeActors.Projections;
using Microsoft.Extensions.Logging;

namespace ClaudeActors.Retention;

internal static class RetentionHostingExtensions
{
    /// <summary>
    /// Starts the <see cref="RetentionSweeper"/> as a cluster singleton (one node of the cluster sweeps), over the node's
    /// <see cref="ConversationIndex"/> and the conversation shard region; call it after both are registered.
    /// </summary>
    public static AkkaConfigurationBuilder WithRetention(this AkkaConfigurationBuilder builder, RetentionOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithSingleton<RetentionSweeper>(
            "retention-sweeper",
            (system, registry, _) => RetentionSweeper.Props(
                registry.Get<ConversationIndex>(),
                registry.Get<ConversationRegion>(),
                options,
                time,
                HostLoggers.For(system).CreateLogger<RetentionSweeper>()),
            new ClusterSingletonOptions(),
            createProxyToo: false);
    }
}
