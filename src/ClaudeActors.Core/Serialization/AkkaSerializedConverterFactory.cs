using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Streams;

namespace ClaudeActors.Serialization;

/// <summary>
/// Writes a member that only Akka knows how to serialize (a stream ref: <see cref="ISourceRef{TOut}"/>,
/// <see cref="ISinkRef{TIn}"/>) by handing it to Akka's serialization, inside our JSON as
/// <c>{"serializerId":…,"manifest":"…","payload":"&lt;base64&gt;"}</c>. Akka.Streams' serializer writes the ref's actor
/// with the address of the remote transport in use, so a ref sent to another node points back to this one.
/// </summary>
internal sealed class AkkaSerializedConverterFactory(ExtendedActorSystem system) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() is var definition
        && (definition == typeof(ISourceRef<>) || definition == typeof(ISinkRef<>));

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert), system)!;

    private sealed class Converter<T>(ExtendedActorSystem system) : JsonConverter<T>
        where T : class
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var wire = JsonSerializer.Deserialize<Wire>(ref reader, options)
                ?? throw new JsonException($"A {typeToConvert.Name} is JSON null.");
            return system.Serialization.Deserialize(wire.Payload, wire.SerializerId, wire.Manifest) as T
                ?? throw new JsonException($"The Akka payload (serializer {wire.SerializerId}, manifest '{wire.Manifest}') is not a {typeToConvert.Name}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            var serializer = system.Serialization.FindSerializerFor(value);
            var wire = new Wire(serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, value), serializer.ToBinary(value));
            JsonSerializer.Serialize(writer, wire, options);
        }
    }

    private sealed record Wire(int SerializerId, string Manifest, byte[] Payload);
}
