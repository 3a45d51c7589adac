using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Serialization;

namespace ClaudeActors.Serialization;

/// <summary>
/// The two-way table between the concrete <see cref="IClaudeActorsMessage"/> types and their
/// <see cref="MessageManifestAttribute"/> names. Built once; a type without a manifest, or two types with the same one,
/// stop the build of the table with a message naming them.
/// </summary>
internal sealed class MessageManifests
{
    private readonly FrozenDictionary<Type, string> _byType;
    private readonly FrozenDictionary<string, Type> _byManifest;

    private MessageManifests(Dictionary<Type, string> byType)
    {
        _byType = byType.ToFrozenDictionary();
        _byManifest = byType.ToFrozenDictionary(entry => entry.Value, entry => entry.Key, StringComparer.Ordinal);
    }

    /// <summary>The table of every concrete message type in ClaudeActors.Core, scanned once.</summary>
    public static MessageManifests Core { get; } = For(MessageTypesIn(typeof(IClaudeActorsMessage).Assembly));

    /// <summary>Every manifest and its type.</summary>
    public IReadOnlyDictionary<string, Type> Types => _byManifest;

    /// <summary>The concrete (non-abstract, non-generic-definition) types in <paramref name="assembly"/> that are messages.</summary>
    public static IReadOnlyList<Type> MessageTypesIn(Assembly assembly) =>
        [.. assembly.GetTypes().Where(type =>
            typeof(IClaudeActorsMessage).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false, ContainsGenericParameters: false })];

    /// <summary>Builds the table for <paramref name="types"/>; throws if one lacks a manifest or two share one.</summary>
    public static MessageManifests For(IEnumerable<Type> types)
    {
        var byType = new Dictionary<Type, string>();
        var owners = new Dictionary<string, Type>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var type in types)
        {
            var manifest = type.GetCustomAttribute<MessageManifestAttribute>()?.Manifest;
            if (string.IsNullOrWhiteSpace(manifest))
            {
                problems.Add($"{type.FullName} implements {nameof(IClaudeActorsMessage)} but has no [MessageManifest(\"...\")]");
                continue;
            }

            if (owners.TryGetValue(manifest, out var owner))
            {
                problems.Add($"{type.FullName} and {owner.FullName} both use the manifest '{manifest}'");
                continue;
            }

            owners[manifest] = type;
            byType[type] = manifest;
        }

        return problems.Count == 0
            ? new MessageManifests(byType)
            : throw new InvalidOperationException("Message manifests are not usable: " + string.Join("; ", problems) + ".");
    }

    /// <summary>The manifest of <paramref name="type"/>.</summary>
    /// <exception cref="SerializationException">The type is not in the table.</exception>
    public string ManifestOf(Type type) =>
        _byType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{type.FullName} has no message manifest: only concrete {nameof(IClaudeActorsMessage)} types with [MessageManifest] are serialized by {nameof(JsonMessageSerializer)}.");

    /// <summary>The type written under <paramref name="manifest"/>.</summary>
    /// <exception cref="SerializationException">No type has this manifest.</exception>
    public Type TypeOf(string manifest) =>
        _byManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new SerializationException(
                $"Unknown message manifest '{manifest}': no {nameof(IClaudeActorsMessage)} type of this build is written under it " +
                "(a row or message from a newer or older build, or a manifest that was renamed).");
}
