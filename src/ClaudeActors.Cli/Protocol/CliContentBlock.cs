namespace ClaudeActors.Cli.Protocol;

/// <summary>One block of a message's content on the CLI's stream-json input.</summary>
internal abstract record CliContentBlock;

/// <summary>A text block.</summary>
internal sealed record CliTextBlock(string Text) : CliContentBlock;

/// <summary>An image given inline as base64 data.</summary>
internal sealed record CliImageBlock(string MediaType, string Base64Data) : CliContentBlock;
