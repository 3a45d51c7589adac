namespace ClaudeActors.Cli.Protocol;

/// <summary>Who wrote a message of a conversation.</summary>
internal enum CliRole
{
    User,
    Assistant,
}

/// <summary>One message of a conversation, as the CLI's transcript holds it.</summary>
internal sealed record CliMessage(CliRole Role, IReadOnlyList<CliContentBlock> Content)
{
    /// <summary>
    /// The messages as the Messages API (and the CLI) sees them: empty ones dropped, consecutive messages of one role
    /// merged into one, so roles alternate.
    /// </summary>
    public static IEnumerable<CliMessage> MergeConsecutive(IEnumerable<CliMessage> messages)
    {
        CliMessage? pending = null;
        foreach (var message in messages)
        {
            if (message.Content.Count == 0)
            {
                continue;
            }

            if (pending is not null && pending.Role == message.Role)
            {
                pending = pending with { Content = [.. pending.Content, .. message.Content] };
                continue;
            }

            if (pending is not null)
            {
                yield return pending;
            }

            pending = message;
        }

        if (pending is not null)
        {
            yield return pending;
        }
    }
}
