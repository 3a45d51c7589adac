using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ClaudeActors.Serialization;

/// <summary>
/// Writes every <see cref="IClaudeActorsMessage"/> as System.Text.Json UTF-8 under the short manifest its type declares
/// with <see cref="MessageManifestAttribute"/>, so journal rows and remote messages carry no CLR type names and stay
/// readable when types are renamed or moved. Registered by
/// <see cref="SerializationHostingExtensions.WithClaudeActorsSerialization(Akka.Hosting.AkkaConfigurationBuilder)"/>.
/// </summary>
internal sealed class JsonMessageSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id, stored with every journal row: never change it.</summary>
    public const int Id = 9001;

    private readonly MessageManifests _manifests;
    private readonly JsonSerializerOptions _options;

    /// <summary>For Akka's reflection-based set-up: the messages of ClaudeActors.Core.</summary>
    public JsonMessageSerializer(ExtendedActorSystem system)
        : this(system, MessageManifests.Core)
    {
    }

    public JsonMessageSerializer(ExtendedActorSystem system, MessageManifests manifests)
        : base(system)
    {
        _manifests = manifests;
        _options = new JsonSerializerOptions(Options) { Converters = { new AkkaSerializedConverterFactory(system) } };
        _options.MakeReadOnly(populateMissingResolver: true);
    }

    /// <summary>
    /// The JSON shape: camelCase names, enums as their names, nulls left out, unknown members skipped (a row written by
    /// a newer build still reads). Records with <c>required</c>/<c>init</c> members, <c>IReadOnlyList&lt;T&gt;</c> and
    /// abstract records marked <c>[JsonPolymorphic]</c>/<c>[JsonDerivedType]</c> work as they are. The serializer adds
    /// <see cref="AkkaSerializedConverterFactory"/>, so a stream ref inside a message goes through Akka's serialization.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public override int Identifier => Id;

    public override string Manifest(object o) => _manifests.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        _ = _manifests.ManifestOf(obj.GetType());
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = _manifests.TypeOf(manifest);
        try
        {
            return JsonSerializer.Deserialize(bytes, type, _options)
                ?? throw new SerializationException($"The payload of manifest '{manifest}' is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new SerializationException($"The payload of manifest '{manifest}' is not a valid {type.Name}: {ex.Message}", ex);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
