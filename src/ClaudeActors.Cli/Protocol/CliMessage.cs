namespace ClaudeActors.Cli.Protocol;

/// <summary>Who wrote a message of a conversation.</summary>
public enum CliRole
{
    User,
    Assistant,
}

/// <summary>One message of a conversation, as the CLI's transcript holds it.</summary>
public sealed record CliMessage(CliRole Role, IReadOnlyList<CliContentBlock> Content);
