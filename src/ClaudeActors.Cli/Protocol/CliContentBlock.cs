using System.Text.Json.Serialization;

namespace ClaudeActors.Cli.Protocol;

/// <summary>
/// One block of a message's content on the CLI's stream-json input. A turn's request carries these to the conversation's
/// entity, which may live on another node: the JSON shape names each kind (<c>"kind":"text"</c>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CliTextBlock), "text")]
[JsonDerivedType(typeof(CliImageBlock), "image")]
internal abstract record CliContentBlock;

/// <summary>A text block.</summary>
internal sealed record CliTextBlock(string Text) : CliContentBlock;

/// <summary>An image given inline as base64 data.</summary>
internal sealed record CliImageBlock(string MediaType, string Base64Data) : CliContentBlock;
