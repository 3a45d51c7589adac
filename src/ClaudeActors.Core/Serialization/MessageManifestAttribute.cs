namespace ClaudeActors.Serialization;

/// <summary>
/// The short, stable name a <see cref="IClaudeActorsMessage"/> type is written under (for instance
/// <c>conv.turn-recorded</c>). It is stored with every journal row and sent with every remote message, so it never
/// changes once a row was written: rename the type freely, never the manifest.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
internal sealed class MessageManifestAttribute(string manifest) : Attribute
{
    public string Manifest { get; } = manifest;
}
