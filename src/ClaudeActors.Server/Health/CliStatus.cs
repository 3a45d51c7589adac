using System.Text.Json.Serialization;

namespace ClaudeActors.Server.Health;

/// <summary>What the start-up probe found out about the CLI binary (named by its file name only: health is public).</summary>
internal sealed record CliStatus(
    [property: JsonPropertyName("binary")] string Binary,
    [property: JsonPropertyName("found")] bool Found,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("error")] string? Error);
