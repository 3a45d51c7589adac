using Akka.Hosting;

namespace ClaudeActors.Serialization;

/// <summary>Registers <see cref="JsonMessageSerializer"/> for every <see cref="IClaudeActorsMessage"/>.</summary>
internal static class SerializationHostingExtensions
{
    /// <summary>The name the serializer is registered under in <c>akka.actor.serializers</c>.</summary>
    public const string SerializerName = "claude-actors-json";

    /// <summary>
    /// Binds <see cref="IClaudeActorsMessage"/> (and so every type implementing it) to <see cref="JsonMessageSerializer"/>
    /// with the messages of ClaudeActors.Core. Call it before the first journal row is written: rows stay readable only
    /// by the serializer that wrote them.
    /// </summary>
    public static AkkaConfigurationBuilder WithClaudeActorsSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithClaudeActorsSerialization(MessageManifests.Core);

    /// <summary>The same with another table of messages (tests).</summary>
    public static AkkaConfigurationBuilder WithClaudeActorsSerialization(this AkkaConfigurationBuilder builder, MessageManifests manifests) =>
        builder.WithCustomSerializer(SerializerName, [typeof(IClaudeActorsMessage)], system => new JsonMessageSerializer(system, manifests));
}
