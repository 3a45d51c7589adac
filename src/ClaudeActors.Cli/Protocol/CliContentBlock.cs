namespace ClaudeActors.Cli.Protocol;

/// <summary>One block of a message's content on the CLI's stream-json input.</summary>
public abstract record CliContentBlock;

/// <summary>A text block.</summary>
public sealed record CliTextBlock(string Text) : CliContentBlock;

/// <summary>An image given inline as base64 data.</summary>
public sealed record CliImageBlock(string MediaType, string Base64Data) : CliContentBlock;
